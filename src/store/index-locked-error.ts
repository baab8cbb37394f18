import { AppError } from "../errors.js";

/**
 * Thrown when another index run holds the archive's writer lock (`index/LOCK` for the embedded
 * index, an advisory lock for PostgreSQL). Retryable: the other run will finish, and its lock is
 * released with it however it ends. (A sibling of `IndexError`, whose codes describe a broken
 * index, not a busy one.)
 */
export class IndexLockedError extends AppError {
  /** What holds the lock, as the message names it ("process 26 on host a1", "session 812 from …"). */
  readonly holder: string;

  constructor(lock: string, holder: string) {
    super(
      "INDEX_LOCKED",
      `${lock} is held by ${holder}: another index run is in progress. Wait for it to finish ` +
        "(its lock is released when it ends, even if it is killed).",
      { userMessage: "新闻库正在更新,请稍后再试。", retryable: true },
    );
    this.holder = holder;
  }
}
