/**
 * Runtime errors carry a stable `code`, an English `message` for logs (with the fix), a Chinese
 * `userMessage` for chat, and whether retrying may help. Configuration and programmer errors are
 * thrown as plain `Error`s at startup instead.
 */
export class AppError extends Error {
  readonly code: string;
  readonly userMessage: string;
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    options: { userMessage?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = options.userMessage ?? "抱歉,处理时出了点问题,请稍后再试。";
    this.retryable = options.retryable ?? false;
  }
}

/** Thrown when an input file cannot be read as an edition or article export. */
export class IngestError extends AppError {
  readonly file: string;
  /** Why, in Chinese for admins in chat, without the file name (the English one when not given). */
  readonly userReason: string;
  constructor(file: string, message: string, options: { cause?: unknown; zh?: string } = {}) {
    const { zh, ...rest } = options;
    super("INGEST_FAILED", `${file}: ${message}`, {
      userMessage: `文件“${file}”无法导入:${zh ?? message}`,
      ...rest,
    });
    this.file = file;
    this.userReason = zh ?? message;
  }
}

/** Thrown when an index is missing, corrupt, of another format version, or built by another embedder. */
export class IndexError extends AppError {
  constructor(
    code: "INDEX_MISSING" | "INDEX_CORRUPT" | "INDEX_VERSION" | "INDEX_EMBEDDER",
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, {
      userMessage: "新闻库暂时不可用,管理员正在处理,请稍后再试。",
      ...options,
    });
  }
}
