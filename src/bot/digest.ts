import { Cron } from "croner";
import { formatDateZh } from "../answer/render.js";
import { localDateTime } from "../dates/calendar.js";
import { latestEdition } from "../retrieval/articles.js";
import type { NewsIndex } from "../store/types.js";
import type { DigestSetting } from "../state/index.js";
import type { BotDeps } from "./deps.js";
import { describeError } from "./logger.js";
import type { Outbox } from "./outbox.js";
import { displayPaper, escapeHtml, shortHeadline } from "./render/html.js";

/** Headlines per paper in a digest at most. */
const MAX_DIGEST_HEADLINES = 8;

/** Thrown by checkTimeZone; its message is Chinese, for the chat. */
export class TimeZoneError extends Error {}

/** Returns `timeZone` when the runtime knows it as an IANA zone; throws TimeZoneError otherwise. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new TimeZoneError(`不认识时区“${timeZone}”,请写成 Asia/Shanghai 这样的形式。`);
  }
}

/** "2026年3月10日 08:05(北京时间)" for admins and users in China. */
export function formatBeijingTime(at: Date): string {
  const { date, time } = localDateTime(at, "Asia/Shanghai");
  return `${formatDateZh(date)} ${time}(北京时间)`;
}

/**
 * The local date on which the digest was last due, as of `at`: today when the digest time has
 * passed there, else yesterday. A newly set digest counts as sent for it, so that setting 07:30
 * at 09:00 starts tomorrow instead of sending at once.
 */
export function lastDueDate(at: Date, setting: Pick<DigestSetting, "time" | "timeZone">): string {
  const local = localDateTime(at, setting.timeZone);
  if (local.time >= setting.time) return local.date;
  return localDateTime(new Date(at.getTime() - 24 * 3_600_000), setting.timeZone).date;
}

/** The digest: the newest edition of each paper, with its first headlines. */
export function renderDigestHtml(index: NewsIndex, localDate: string): string {
  const papers = [...new Set(index.manifest.editions.map((e) => e.paper))].sort((a, b) =>
    a.localeCompare(b, "zh"),
  );
  const lines = [`<b>每日新闻摘要</b> · ${escapeHtml(formatDateZh(localDate))}`];
  for (const paper of papers) {
    const found = latestEdition(index, paper, MAX_DIGEST_HEADLINES + 4);
    if (!found || found.edition.paper !== paper) continue;
    const shown = found.articles.filter((a) => a.kind !== "ad").slice(0, MAX_DIGEST_HEADLINES);
    lines.push(
      "",
      `<b>${escapeHtml(displayPaper(paper))}</b> ${escapeHtml(formatDateZh(found.edition.date))}`,
      ...shown.map((a, i) => `${i + 1}. 《${escapeHtml(shortHeadline(a.headline))}》`),
    );
  }
  lines.push("", "想了解哪一篇,直接问我。/digest off 可停止每日摘要。");
  return lines.join("\n");
}

/** Options of the digest scheduler. */
export interface DigestSchedulerOptions {
  /** When to look for due digests (croner pattern). Defaults to every minute at second 0. */
  pattern?: string;
}

/**
 * Sends daily digests. croner wakes it every minute; each wake reads the digest settings and
 * sends those whose local time has come today and that were not sent today. A digest is claimed
 * in the state store before it is sent, so with several instances each chat gets it once, and a
 * digest missed while the bot was down is sent when it comes back the same day. The clock is
 * `deps.now`, so a test sets the time the scheduler sees.
 */
export class DigestScheduler {
  #cron: Cron | undefined;

  constructor(
    private readonly deps: BotDeps,
    private readonly outbox: Outbox,
    private readonly options: DigestSchedulerOptions = {},
  ) {}

  /** Starts the timer. */
  start(): void {
    this.#cron ??= new Cron(this.options.pattern ?? "0 * * * * *", { protect: true }, async () => {
      await this.tick();
    });
  }

  /** Stops the timer (a tick already running finishes). */
  stop(): void {
    this.#cron?.stop();
    this.#cron = undefined;
  }

  /** Sends the digests due now; returns how many were sent. Never throws. */
  async tick(): Promise<number> {
    let sent = 0;
    try {
      const now = this.deps.now();
      for (const setting of await this.deps.state.listDigests(undefined)) {
        const local = localDateTime(now, setting.timeZone);
        if (local.time < setting.time) continue;
        if (setting.lastDate !== null && setting.lastDate >= local.date) continue;
        if (!(await this.deps.state.claimDigest(setting.chatId, local.date))) continue;
        const html = renderDigestHtml(this.deps.engine.index, local.date);
        if ((await this.outbox.send(setting.chatId, html)) === "sent") sent++;
      }
    } catch (error) {
      this.deps.logger.error({ error: describeError(error) }, "digest round failed");
    }
    return sent;
  }
}
