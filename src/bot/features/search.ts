import { Composer, GrammyError, InlineKeyboard } from "grammy";
import type { Context } from "grammy";
import { formatDateZh } from "../../answer/render.js";
import { parseSearchText, searchArticles } from "../../retrieval/articles.js";
import type { ArticleSearchResult, DateRange } from "../../retrieval/articles.js";
import { BUTTON_KEY_PATTERN } from "../../state/index.js";
import type { BotDeps } from "../deps.js";
import { escapeHtml, renderArticleFullHtml, renderArticleLine, truncate } from "../render/html.js";
import { TELEGRAM_MAX_MESSAGE_CHARS } from "../render/split.js";
import { replyHtml } from "../reply.js";
import { TEXTS } from "../texts.js";
import { MAX_TOPIC_CHARS } from "./ask.js";

/** A list of articles shown page by page (search results). */
export interface ArticleList {
  /** Header line, already HTML. */
  headerHtml: string;
  articleIds: string[];
  /** What a "订阅" button under the list subscribes to; absent for lists without one. */
  topic?: string;
}

/** The list behind a button of this chat, or undefined when the key is unknown, foreign or expired. */
export async function listOfButton(
  deps: BotDeps,
  ctx: Context,
  key: string,
): Promise<ArticleList | undefined> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return undefined;
  return (await deps.state.getButton(key, chatId, "list")) as ArticleList | undefined;
}

/** Results per page. */
export const PAGE_SIZE = 5;

/** "2025年1月1日至2025年3月31日". */
export function formatRangeZh(range: DateRange): string {
  if (range.from === range.to) return formatDateZh(range.from);
  const month = range.from.slice(0, 7);
  // A whole month or year reads better as "2025年3月" / "2025年".
  if (range.from.endsWith("-01") && range.to.slice(0, 7) === month && range.to >= `${month}-28`) {
    return formatDateZh(month);
  }
  const year = range.from.slice(0, 4);
  if (range.from === `${year}-01-01` && range.to === `${year}-12-31`) return `${year}年`;
  return `${formatDateZh(range.from)}至${formatDateZh(range.to)}`;
}

/**
 * How many articles a search found: "共 12 篇", or "至少 200 篇" when it stopped once it had
 * enough (it knows only a lower bound then); related hits say that none matched exactly.
 */
export function describeFound(
  result: Pick<ArticleSearchResult, "exact" | "total" | "more">,
): string {
  if (result.exact) return `${result.more ? "至少" : "共"} ${result.total} 篇`;
  return result.more
    ? `没有完全匹配的报道,找到至少 ${result.total} 篇相关`
    : `没有完全匹配的报道,以下 ${result.total} 篇相关`;
}

/**
 * One page of a list with its buttons: "全文 n" for each article, then ◀/▶ when there are pages,
 * and 订阅 when the list has a topic. Headlines and bylines are shortened, so that a page fits one
 * message: pages are edited in place, and an edit cannot be split.
 */
export function renderListPage(
  deps: BotDeps,
  key: string,
  list: ArticleList,
  page: number,
): { html: string; keyboard: InlineKeyboard } {
  const pages = Math.max(1, Math.ceil(list.articleIds.length / PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const start = p * PAGE_SIZE;
  const lines = [list.headerHtml, ""];
  const keyboard = new InlineKeyboard();
  for (const [i, id] of list.articleIds.slice(start, start + PAGE_SIZE).entries()) {
    const article = deps.engine.index.getArticle(id);
    const n = start + i + 1;
    lines.push(article ? `${n}. ${renderArticleLine(article)}` : `${n}. (这篇报道已不在新闻库中)`);
    keyboard.text(`全文 ${n}`, `ar:${key}:${n - 1}`);
  }
  if (pages > 1) {
    lines.push("", `第 ${p + 1}/${pages} 页`);
    keyboard.row();
    if (p > 0) keyboard.text("◀ 上一页", `sp:${key}:${p - 1}`);
    if (p < pages - 1) keyboard.text("下一页 ▶", `sp:${key}:${p + 1}`);
  }
  if (list.topic !== undefined) keyboard.row().text(`订阅“${list.topic}”`, `lsub:${key}`);
  const html = lines.join("\n");
  // Each part is bounded (header, five shortened lines); this guards the sum.
  if (html.length > TELEGRAM_MAX_MESSAGE_CHARS) {
    throw new Error(`Search page of ${html.length} characters exceeds Telegram's message limit`);
  }
  return { html, keyboard };
}

/**
 * `/search 关键词 [日期范围]`: matching articles, newest first, with paper, date, headline and
 * byline, five to a page, with buttons for the pages and for each article's full text.
 */
export function createSearchFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("search", async (ctx) => {
    const parsed = parseSearchText(ctx.match);
    if (parsed.text === "" && parsed.range === undefined) {
      await ctx.reply(TEXTS.searchUsage);
      return;
    }
    const options = parsed.range ? { range: parsed.range, limit: 200 } : { limit: 200 };
    const result = searchArticles(deps.engine.index, parsed.text, options);
    const what = [
      parsed.text === "" ? "" : `“${escapeHtml(truncate(parsed.text, 60))}”`,
      parsed.range ? formatRangeZh(parsed.range) : "",
    ]
      .filter((s) => s !== "")
      .join(" · ");
    const topic =
      parsed.text !== "" && Array.from(parsed.text).length <= MAX_TOPIC_CHARS
        ? parsed.text
        : undefined;
    if (result.hits.length === 0) {
      // Nothing yet is when a subscription helps most: offer it.
      const keyboard =
        topic === undefined
          ? undefined
          : new InlineKeyboard().text(
              `订阅“${topic}”`,
              `lsub:${await deps.state.putButton(ctx.chat.id, "list", { headerHtml: "", articleIds: [], topic })}`,
            );
      await replyHtml(
        ctx,
        escapeHtml(
          TEXTS.noSearchHits(
            [parsed.text, parsed.range ? formatRangeZh(parsed.range) : ""].join(" ").trim(),
          ),
        ),
        keyboard === undefined ? {} : { keyboard },
      );
      return;
    }
    const narrow = result.more ? "(结果较多,可加日期范围缩小)" : "";
    const header = `<b>搜索</b> ${what}:${describeFound(result)},从新到旧${narrow}`;
    const list: ArticleList = {
      headerHtml: header,
      articleIds: result.hits.map((h) => h.article.id),
    };
    if (topic !== undefined) list.topic = topic;
    const key = await deps.state.putButton(ctx.chat.id, "list", list);
    const page = renderListPage(deps, key, list, 0);
    await replyHtml(ctx, page.html, { keyboard: page.keyboard });
  });

  composer.callbackQuery(new RegExp(`^sp:(${BUTTON_KEY_PATTERN}):(\\d+)$`, "u"), async (ctx) => {
    const key = ctx.match[1] ?? "";
    const list = await listOfButton(deps, ctx, key);
    if (!list) {
      await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired, show_alert: true });
      return;
    }
    const page = renderListPage(deps, key, list, Number(ctx.match[2]));
    await ctx.answerCallbackQuery();
    try {
      await ctx.editMessageText(page.html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        reply_markup: page.keyboard,
      });
    } catch (error) {
      // A double tap asks for the page already shown; Telegram refuses the identical edit.
      if (!(
        error instanceof GrammyError && error.description.includes("message is not modified")
      )) {
        throw error;
      }
    }
  });

  composer.callbackQuery(new RegExp(`^ar:(${BUTTON_KEY_PATTERN}):(\\d+)$`, "u"), async (ctx) => {
    const id = (await listOfButton(deps, ctx, ctx.match[1] ?? ""))?.articleIds[
      Number(ctx.match[2])
    ];
    const article = id === undefined ? undefined : deps.engine.index.getArticle(id);
    if (!article) {
      await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, renderArticleFullHtml(article));
  });

  return composer;
}
