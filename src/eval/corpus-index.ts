import crypto from "node:crypto";
import path from "node:path";

/**
 * The cache folder of an evaluation corpus's index under `rootDir/.tmp/eval-index/`: one per set
 * of inputs and embedder, so that `npm run eval` and `npm run fit` share it and index only what
 * changed.
 */
export function evalIndexDir(
  rootDir: string,
  editionDirs: readonly string[],
  articleFiles: readonly string[],
  embedderId: string,
): string {
  const key = crypto
    .createHash("sha1")
    .update(JSON.stringify([editionDirs, articleFiles, embedderId]))
    .digest("hex")
    .slice(0, 12);
  return path.join(rootDir, ".tmp", "eval-index", key);
}
