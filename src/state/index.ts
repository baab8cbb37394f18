export { openStateStore } from "./open-state.js";
export type { OpenStateOptions, OpenedState } from "./open-state.js";
export { STATE_SCHEMA_VERSION, StateSchemaError, migrateState } from "./migrations.js";
export {
  BUTTON_KEY_PATTERN,
  DEFAULT_RETENTION,
  createSqlStateStore,
  newButtonKey,
} from "./sql-state-store.js";
export type * from "./types.js";
