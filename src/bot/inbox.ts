/**
 * The editions inbox (EDITIONS_INBOX): a newsroom's export job drops files into a folder, and the
 * running bot indexes each new or changed file within seconds, then tells the admins in their chat
 * what was added or why a file was skipped (each problem once, see IndexJobQueue).
 */
import path from "node:path";
import { watchEditionFolders, type EditionWatch, type WatchOptions } from "../ingest/watch.js";
import { describeOutcome } from "./features/admin.js";
import type { IndexJobOutcome, IndexJobQueue } from "./index-jobs.js";
import { describeError, type Logger } from "./logger.js";

/** What the inbox needs. */
export interface InboxOptions extends WatchOptions {
  /** The folder watched (not its subfolders); it must be one of the index job's edition folders. */
  dir: string;
  indexJobs: IndexJobQueue;
  logger: Logger;
  /** Sends a message to the admins (each in their private chat). */
  notifyAdmins: (text: string) => Promise<void>;
}

/**
 * Watches the inbox and runs an index job for each batch of new, changed or removed files; the
 * admins get the outcome in Chinese, the log an English line. Never throws; `close` stops it.
 */
export function startInbox(options: InboxOptions): EditionWatch {
  const { logger } = options;
  return watchEditionFolders(
    [options.dir],
    (files) => {
      const names = files.map((f) => path.basename(f));
      logger.info({ inbox: options.dir, files: names }, "inbox changed; indexing");
      options.indexJobs
        .enqueue(`inbox ${names.join(", ")}`)
        .then(async (outcome) => {
          logger.info(
            {
              added: outcome.result.addedEditions,
              changed: outcome.result.changedEditions,
              skipped: outcome.fresh.skipped.map((s) => ({ file: s.file, reason: s.reason })),
            },
            "inbox indexed",
          );
          const text = describeInbox(outcome);
          if (text !== undefined) await options.notifyAdmins(text);
        })
        .catch(async (error: unknown) => {
          logger.error(
            { inbox: options.dir, error: describeError(error) },
            "inbox index job failed",
          );
          await options
            .notifyAdmins(`收件箱的新文件未能导入,仍在使用原来的新闻库。文件:${names.join("、")}`)
            .catch(() => undefined);
        });
    },
    (error) =>
      logger.error({ inbox: options.dir, error: describeError(error) }, "inbox watch failed"),
    options,
  );
}

/**
 * The admins' message about an inbox job: the editions added, changed or removed and the files
 * skipped; undefined when there is nothing new to tell (a file touched but not changed).
 */
export function describeInbox(outcome: IndexJobOutcome): string | undefined {
  const r = outcome.result;
  const changed = r.addedEditions.length + r.changedEditions.length + r.removedEditions.length;
  if (changed === 0 && outcome.fresh.skipped.length === 0 && outcome.fresh.notices.length === 0) {
    return undefined;
  }
  const names = (label: string, list: readonly string[]): string[] =>
    list.length > 0 ? [`${label}:${list.join("、")}`] : [];
  return [
    "收件箱有新的版面文件。",
    ...names("新增", r.addedEditions),
    ...names("更新", r.changedEditions),
    ...names("移除", r.removedEditions),
    describeOutcome(outcome),
  ].join("\n");
}
