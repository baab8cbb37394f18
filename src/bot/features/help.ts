import { Composer } from "grammy";
import type { Context } from "grammy";
import { articlesOfEdition } from "../../retrieval/articles.js";
import type { NewsIndex } from "../../store/types.js";
import type { Article } from "../../types.js";
import type { BotDeps } from "../deps.js";
import { truncate } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { renderHelpHtml } from "../texts.js";

/** Questions that the bundled sample editions answer; shown while those editions are indexed. */
const SAMPLE_EXAMPLES: readonly { paper: string; question: string }[] = [
  { paper: "平湖日报", question: "平湖2026年计划新开工多少个项目?" },
  { paper: "嘉兴日报", question: "嘉兴南湖机场从规划到建成用了多长时间?" },
  { paper: "平湖日报", question: "平湖那家做内存芯片封测的公司叫啥?" },
];

/** Articles of one edition looked at for examples: an export may be one huge "edition". */
const ARTICLES_PER_EDITION = 50;

/**
 * Example questions for /help: the sample ones whose paper is indexed, topped up with questions
 * about the newest headlines, so the examples always fit what the index holds.
 */
export function exampleQuestions(index: NewsIndex, count = 3): string[] {
  const papers = new Set(index.manifest.editions.map((e) => e.paper));
  const examples = SAMPLE_EXAMPLES.filter((e) => papers.has(e.paper)).map((e) => e.question);
  // The newest editions first, read date by date only until the examples are enough: /help
  // must not read an archive of 150,000 articles.
  const editions = [...index.manifest.editions].sort((a, b) =>
    (b.date ?? "").localeCompare(a.date ?? ""),
  );
  for (let i = 0; i < editions.length && examples.length < count;) {
    const date = editions[i]?.date ?? null;
    const ofDate: Article[] = [];
    for (; i < editions.length && (editions[i]?.date ?? null) === date; i++) {
      const id = editions[i]?.editionId ?? "";
      ofDate.push(...articlesOfEdition(index, id, ARTICLES_PER_EDITION).articles);
    }
    const newest = ofDate
      .filter((a) => a.kind === "news" && a.headline.length >= 6)
      .sort((a, b) => a.position - b.position);
    for (const article of newest) {
      if (examples.length >= count) break;
      examples.push(`“${truncate(article.headline, 20)}”说的是什么?`);
    }
  }
  return examples.slice(0, count);
}

/** /start and /help: what the bot knows (papers and dates from the manifest) and how to ask. */
export function createHelpFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const admins = new Set(deps.settings.adminUserIds);
  composer.command(["start", "help"], async (ctx) => {
    const index = deps.engine.index;
    const html = renderHelpHtml(index.manifest, {
      isAdmin: ctx.from !== undefined && admins.has(ctx.from.id),
      examples: exampleQuestions(index),
      botUsername: ctx.me.username,
      retention: deps.state.retention,
    });
    await replyHtml(ctx, html);
  });
  return composer;
}
