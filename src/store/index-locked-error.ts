import { AppError } from "../errors.js";

/**
 * Thrown by `writeIndex` when another index run holds `index/LOCK`. Retryable: the other run
 * will finish. (A sibling of `IndexError`, whose codes describe a broken index, not a busy one.)
 */
export class IndexLockedError extends AppError {
  /** Pid recorded in the lock file, when it could be read. */
  readonly holderPid: number | undefined;

  constructor(lockFile: string, holderPid: number | undefined) {
    const holder = holderPid === undefined ? "another process" : `process ${holderPid}`;
    super(
      "INDEX_LOCKED",
      `${lockFile} is held by ${holder}: another index run is in progress. Wait for it to finish; ` +
        `if no run is active, delete ${lockFile}.`,
      { userMessage: "新闻库正在更新,请稍后再试。", retryable: true },
    );
    this.holderPid = holderPid;
  }
}
