/**
 * The little SQL a state store needs, over two drivers. Statements use "?" placeholders (the
 * PostgreSQL driver numbers them) and only SQL that SQLite and PostgreSQL read alike.
 */
export interface SqlDriver {
  readonly dialect: "sqlite" | "postgres";
  /** Rows of a query. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
