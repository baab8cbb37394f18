import fs from "node:fs";
import path from "node:path";

/** Repository root. */
export const REPO_DIR = path.resolve(import.meta.dirname, "..", "..");

/** The bundled sample editions. */
export const SAMPLE_EDITIONS = path.join(REPO_DIR, "data", "editions");

/** ../shared beside the repository (override with SHARED_DIR); throws when it is missing so no test skips silently. */
export function sharedDir(): string {
  const dir = path.resolve(process.env.SHARED_DIR ?? path.join(REPO_DIR, "..", "shared"));
  if (!fs.existsSync(dir)) {
    throw new Error(
      `Shared material not found at ${dir}: clone the project beside ../shared or set SHARED_DIR.`,
    );
  }
  return dir;
}
