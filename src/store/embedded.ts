/** The on-disk index: write a snapshot, open the live one, inspect what is there. */
export { writeIndex } from "./write-index.js";
export { indexDamage, openIndex } from "./open-index.js";
export { readManifest } from "./manifest.js";
export { listSnapshots, readCurrentSnapshot } from "./layout.js";
export type { SnapshotInfo } from "./layout.js";
export { chunkDocumentText } from "./records.js";
export { SnapshotIndex } from "./snapshot-index.js";
export { IndexLockedError } from "./index-locked-error.js";
export { HNSW_EF_SEARCH } from "./vectors.js";
export * from "./types.js";
