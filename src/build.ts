import path from "node:path";
import { ROOT_DIR } from "./config.js";

/**
 * The bundles `buildBundles` writes, by name (`<name>.mjs`): the bot (`npm start`), the index
 * worker it starts (it must sit beside the bot's bundle, see workers/index-job.ts), and the bench's
 * phase child, so that its serving phases run from a bundle as the bot does.
 */
export const BUNDLES: Readonly<Record<string, string>> = {
  main: "src/main.ts",
  "index-job-entry": "src/workers/index-job-entry.ts",
  "bench-phase": "src/bench/child.ts",
};

/**
 * V8 flags the bot runs with (`npm start`), and the bench's serving phases too. Answering a
 * question allocates far more than it keeps (live heap about 50 MB at 146,071 articles), and by
 * default V8 lets the heap grow to several times the live size between full collections:
 * - young-generation semi-spaces of 4 MiB instead of 16 collect a question's garbage sooner;
 * - the old generation grows by 30 % of the live heap before the next full collection, instead
 *   of V8's adaptive factor (up to 4×).
 * - one V8 platform worker thread instead of four (they run concurrent marking, parallel
 *   scavenges and background compiles; each keeps its own malloc arena).
 * Measured at 146,071 articles over 500 questions: peak RSS 354 -> 301 MiB with the first,
 * -> about 265 MiB with the second; answer p95 within run-to-run noise (44-51 ms either way); an
 * index job on the bot's worker thread (the flags are process-wide) 12 % slower at 30k articles.
 * The third, measured later on a leaner process: peak RSS 236 -> 225 MiB (four runs each), p95
 * and cold start unchanged within noise; on two cores the three extra threads found no core.
 */
export const NODE_FLAGS: readonly string[] = [
  "--max-semi-space-size=4",
  "--heap-growing-percent=30",
  "--v8-pool-size=1",
];

/**
 * Bundles every entry of BUNDLES into `outDir` as ES modules for Node 20, npm packages left
 * external (node_modules is beside the bundles' parent, as in this repository), plus `extra`
 * entries (name -> source path) for tests. Resolves to the written files. Throws on build errors.
 */
export async function buildBundles(
  outDir: string,
  extra: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const { build } = await import("esbuild");
  const entryPoints = Object.fromEntries(
    Object.entries({ ...BUNDLES, ...extra }).map(([name, file]) => [
      name,
      path.resolve(ROOT_DIR, file),
    ]),
  );
  const result = await build({
    entryPoints,
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // Modules imported dynamically (the bot, LLM and model adapters, the bench's anchors) go to
    // chunks of their own, and so do the packages they import: a start loads only what it runs.
    // Chunks sit beside the entries: code in a chunk finds the worker's bundle as "./".
    splitting: true,
    chunkNames: "chunk-[hash]",
    sourcemap: true,
    logLevel: "warning",
    metafile: true,
  });
  return Object.keys(result.metafile.outputs);
}
