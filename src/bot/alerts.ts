import { InlineKeyboard } from "grammy";
import { formatDateZh } from "../answer/render.js";
import { articlesOfEdition, searchArticles } from "../retrieval/articles.js";
import type { NewsIndex } from "../store/types.js";
import type { Article } from "../types.js";
import type { BotDeps } from "./deps.js";
import type { IndexJobOutcome } from "./index-jobs.js";
import { describeError } from "./logger.js";
import type { Outbox } from "./outbox.js";
import { displayPaper, escapeHtml, shortHeadline, truncate } from "./render/html.js";

/** Articles listed in one alert at most; the rest are counted. */
const MAX_ALERT_ARTICLES = 10;
/** Headlines of one edition posted to the digest channel at most. */
const MAX_CHANNEL_HEADLINES = 30;
/** The chat id under which channel posts are recorded as delivered (channels may be @names). */
const CHANNEL_DELIVERY_CHAT = 0;

/** What one round of alerts did. */
export interface AlertReport {
  newArticles: number;
  /** Chats sent an alert. */
  alerted: number;
  /** Editions posted to the digest channel. */
  channelPosts: number;
}

/** The articles of the editions a job added or changed (advertisements left out). */
export function newArticlesOf(index: NewsIndex, outcome: IndexJobOutcome): Article[] {
  const editions = [...outcome.result.addedEditions, ...outcome.result.changedEditions];
  return editions.flatMap((id) =>
    articlesOfEdition(index, id).articles.filter((a) => a.kind !== "ad"),
  );
}

/**
 * The new articles that match a topic. The match is the one /search makes (every keyword in the
 * headline or text, read through the lexical index, so "人工智能" finds what /search 人工智能
 * lists), narrowed to the new articles: a subscriber is alerted to exactly what a search would
 * now show among them. Only exact matches count; "related" hits would be noise in an alert.
 */
export function matchTopic(
  index: NewsIndex,
  topic: string,
  newArticles: readonly Article[],
): Article[] {
  if (newArticles.length === 0) return [];
  const ids = new Set(newArticles.map((a) => a.id));
  const dates = newArticles.map((a) => a.date);
  const dated = dates.every((d): d is string => d !== null);
  const sorted = dated ? [...dates].sort() : [];
  const range = dated ? { from: sorted[0] ?? "", to: sorted.at(-1) ?? "" } : undefined;
  const result = searchArticles(index, topic, {
    limit: 1_000,
    ...(range === undefined ? {} : { range }),
  });
  if (!result.exact) return [];
  return result.hits.map((h) => h.article).filter((a) => ids.has(a.id));
}

/** One line of an article for an alert: paper, date, headline, then its first words. */
function alertLine(n: number, article: Article): string {
  const lead = truncate(article.paragraphs.join(" ").replace(/\s+/gu, " ").trim(), 60);
  return (
    `${n}. ${escapeHtml(displayPaper(article.paper))} · ${escapeHtml(formatDateZh(article.date))} · ` +
    `<b>《${escapeHtml(shortHeadline(article.headline))}》</b>` +
    (lead === "" ? "" : `\n   ${escapeHtml(lead)}`)
  );
}

/**
 * What the bot does after each index job (uploads, /reindex, an inbox watcher): every subscriber
 * whose topic matches new articles gets them in one message, once (a delivery claimed in the
 * state store per chat and article, so a second instance or a re-run sends nothing twice), and
 * the digest channel, when set, gets each new edition's headlines. Never throws.
 */
export function createAlerts(
  deps: BotDeps,
  outbox: Outbox,
  options: { channel?: string | number | undefined } = {},
): (outcome: IndexJobOutcome) => Promise<AlertReport> {
  return async (outcome) => {
    const report: AlertReport = { newArticles: 0, alerted: 0, channelPosts: 0 };
    try {
      const index = deps.engine.index;
      const fresh = newArticlesOf(index, outcome);
      report.newArticles = fresh.length;
      if (fresh.length === 0) return report;
      if (options.channel !== undefined) {
        report.channelPosts = await postToChannel(deps, outbox, options.channel, outcome);
      }
      const subscriptions = await deps.state.listSubscriptions(undefined);
      const byTopic = new Map<string, Article[]>();
      const byChat = new Map<number, { topics: string[]; articles: Map<string, Article> }>();
      for (const sub of subscriptions) {
        let matched = byTopic.get(sub.topic);
        if (matched === undefined) {
          matched = matchTopic(index, sub.topic, fresh);
          byTopic.set(sub.topic, matched);
        }
        if (matched.length === 0) continue;
        const entry = byChat.get(sub.chatId) ?? {
          topics: [] as string[],
          articles: new Map<string, Article>(),
        };
        entry.topics.push(sub.topic);
        for (const a of matched) entry.articles.set(a.id, a);
        byChat.set(sub.chatId, entry);
      }
      const now = deps.now().getTime();
      for (const [chatId, { topics, articles }] of byChat) {
        const claimed: Article[] = [];
        for (const article of articles.values()) {
          if (await deps.state.claimDelivery(chatId, `article:${article.id}`, now)) {
            claimed.push(article);
          }
        }
        if (claimed.length === 0) continue;
        const shown = claimed.slice(0, MAX_ALERT_ARTICLES);
        const header =
          `<b>订阅提醒</b>:你关注的${topics.map((t) => `“${escapeHtml(t)}”`).join("、")}` +
          `有 ${claimed.length} 篇新报道`;
        const lines = [header, "", ...shown.map((a, i) => alertLine(i + 1, a))];
        if (claimed.length > shown.length) {
          lines.push("", `另有 ${claimed.length - shown.length} 篇,可用 /search 关键词 查看。`);
        }
        lines.push("", "用 /subscriptions 管理订阅。");
        const key = await deps.state.putButton(chatId, "list", {
          headerHtml: header,
          articleIds: shown.map((a) => a.id),
        });
        const keyboard = new InlineKeyboard();
        for (const i of shown.keys()) {
          if (i > 0 && i % 5 === 0) keyboard.row();
          keyboard.text(`全文 ${i + 1}`, `ar:${key}:${i}`);
        }
        const sent = await outbox.send(chatId, lines.join("\n"), keyboard);
        if (sent === "sent") report.alerted++;
        else if (sent === "failed") {
          // Given back, so that the next job (or a retry) can still deliver them.
          for (const a of claimed) await deps.state.releaseDelivery(chatId, `article:${a.id}`);
        }
      }
      deps.logger.info({ reasons: outcome.reasons, ...report }, "alerts sent");
    } catch (error) {
      deps.logger.error({ error: describeError(error) }, "alerts failed");
    }
    return report;
  };
}

/** Posts each added or changed edition's headlines to the channel, once per edition. */
async function postToChannel(
  deps: BotDeps,
  outbox: Outbox,
  channel: string | number,
  outcome: IndexJobOutcome,
): Promise<number> {
  let posted = 0;
  const index = deps.engine.index;
  for (const editionId of [...outcome.result.addedEditions, ...outcome.result.changedEditions]) {
    const edition = index.manifest.editions.find((e) => e.editionId === editionId);
    if (!edition) continue;
    const item = `channel:${String(channel)}:${editionId}`;
    if (!(await deps.state.claimDelivery(CHANNEL_DELIVERY_CHAT, item, deps.now().getTime()))) {
      continue;
    }
    const { articles, more } = articlesOfEdition(index, editionId, MAX_CHANNEL_HEADLINES);
    const shown = articles.filter((a) => a.kind !== "ad");
    const html = [
      `<b>${escapeHtml(displayPaper(edition.paper))}</b> ${escapeHtml(formatDateZh(edition.date))} · 新一期`,
      "",
      ...shown.map((a, i) => `${i + 1}. 《${escapeHtml(shortHeadline(a.headline))}》`),
      ...(more ? ["……"] : []),
    ].join("\n");
    const sent = await outbox.send(channel, html);
    if (sent === "sent") posted++;
    else await deps.state.releaseDelivery(CHANNEL_DELIVERY_CHAT, item);
  }
  return posted;
}
