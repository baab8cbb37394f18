/** The archive in PostgreSQL: write it, open it. */
export { PgIndex, readPgManifest } from "./pg-index.js";
export { writePgIndex, type PgBuildOptions } from "./write.js";
export { DEFAULT_SCHEMA, PG_FORMAT_VERSION, parseIndexUrl, type PgTarget } from "./schema.js";
