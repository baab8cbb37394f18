import { parseArgs } from "node:util";
import path from "node:path";
import "dotenv/config";
import { loadConfig, type AppConfig } from "../config.js";

/** Options shared by the index, ask and eval CLIs. */
export interface CommonArgs {
  editionDirs: string[];
  articleFiles: string[];
  indexDir: string;
  /** INDEX_URL: the archive in PostgreSQL, used instead of `indexDir` when set. */
  indexUrl: string | undefined;
  config: AppConfig;
}

/** Parses argv with node's parseArgs; prints the usage and exits with code 2 on bad arguments. */
export function parseCli(
  usage: string,
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>,
  argv = process.argv.slice(2),
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" }, ...options },
      allowPositionals: true,
      strict: true,
    });
    if ((values as Record<string, unknown>).help === true) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return { values: values as Record<string, unknown>, positionals };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
}

/** Reads --editions/--articles/--index from parsed values, defaulting to the sample editions and ./index. */
export function commonArgs(values: Record<string, unknown>): CommonArgs {
  const config = loadConfig(process.env);
  const list = (v: unknown): string[] =>
    (Array.isArray(v) ? v : []).map((p) => path.resolve(String(p)));
  const editionDirs = list(values.editions);
  const articleFiles = list(values.articles);
  return {
    editionDirs:
      editionDirs.length === 0 && articleFiles.length === 0 ? [config.editionsDir] : editionDirs,
    articleFiles,
    indexDir: typeof values.index === "string" ? path.resolve(values.index) : config.indexDir,
    indexUrl: config.indexUrl,
    config,
  };
}

/** Prints an error for the operator and exits with code 1. */
export function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
