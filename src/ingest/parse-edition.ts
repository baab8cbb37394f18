/**
 * Second stage of edition parsing: items -> articles.
 *
 * An article starts at an anchor: a credit line (byline), a 本报讯 lead without a byline before
 * it, a photo caption (the paragraph just above a "■摄影" credit), a weather box or an ad block.
 * Headlines are not anchors. A heading between an anchor and the first body text is that
 * article's headline (byline-first layout). Headings after one article's body and before the next
 * anchor are the next article's headline, unless the previous article has none and the heading
 * shares more words with the previous body: some pages print the headline under the story.
 * Headings with body text on both sides inside one article are sub-heads and stay in it.
 */
import type { Article, ArticleKind, EditionMeta } from "../types.js";
import { articleId, contentHash, firstClause, uniqueId } from "./article-id.js";
import { parseCreditLine, type CreditLine } from "./credits.js";
import { readEditionItems } from "./edition-items.js";
import { assembleHeadline, isHeadingLike, type HeadingLine } from "./heading.js";
import { classifyItems, isBodyEntry, type Entry } from "./item-roles.js";
import { dropDuplicates, mergeWraps, type BodyPart } from "./paragraphs.js";
import { compactLength } from "./wrap.js";

/** A photo title found elsewhere on the page is a short phrase ("春暖花开"). */
const MAX_PHOTO_TITLE_CHARS = 8;
const WEATHER_HEADLINE = "天气预报";

type AnchorKind = "byline" | "lead" | "photo" | "weather" | "ad" | "implicit";

/** An article under construction. */
interface Draft {
  kind: AnchorKind;
  headingLines: HeadingLine[];
  body: BodyPart[];
  credits: CreditLine[];
  notes: string[];
  column?: string;
  adLines?: string[];
}

/**
 * Parses one edition's text into articles with headline, subtitle, column, credits, kind and
 * cleaned paragraphs (wraps rejoined, notes and layout noise removed, exact duplicate paragraphs
 * dropped). Every piece of body text lands in some article. Never throws.
 */
export function parseEdition(text: string, meta: EditionMeta, source: string): Article[] {
  const { items, hardWrapped } = readEditionItems(text);
  const entries = classifyItems(items, hardWrapped);
  const drafts = splitArticles(entries);
  return finish(drafts, meta, source);
}

/** Finds the anchors and distributes the other entries over the articles. */
function splitArticles(entries: readonly Entry[]): Draft[] {
  const anchors = findAnchors(entries);
  const drafts: Draft[] = [];
  const gaps: Entry[][] = [];
  const ownLeading: boolean[] = [];
  const prefix = entries.slice(0, anchors[0]?.index ?? entries.length);

  for (const [k, anchor] of anchors.entries()) {
    const end = anchors[k + 1]?.index ?? entries.length;
    const span = entries.slice(anchor.index, end);
    const draft: Draft = { kind: anchor.kind, headingLines: [], body: [], credits: [], notes: [] };
    const bodyAt = span.map((e, i) => (isBodyEntry(e) ? i : -1)).filter((i) => i >= 0);
    const first = bodyAt[0] ?? span.length;
    const last = bodyAt.at(-1) ?? -1;
    for (const [i, entry] of span.entries()) {
      const item = entry.item;
      if (item.type === "credit") {
        draft.credits.push(...item.credits);
        continue;
      }
      if (i < first) addLeading(draft, entry);
      else if (i <= last) addBody(draft, entry);
    }
    ownLeading.push(draft.headingLines.length > 0);
    gaps.push(span.slice(Math.max(last + 1, first)).filter((e) => e.item.type !== "credit"));
    drafts.push(draft);
  }

  const firstDraft = drafts[0];
  if (firstDraft) {
    const own = firstDraft.headingLines.splice(0);
    for (const entry of prefix) addLeading(firstDraft, entry);
    firstDraft.headingLines.push(...own);
  } else if (prefix.length > 0) {
    // Only headings on the page: keep them as one headline-only article.
    const draft: Draft = { kind: "implicit", headingLines: [], body: [], credits: [], notes: [] };
    for (const entry of prefix) addLeading(draft, entry);
    drafts.push(draft);
  }

  for (const [k, gap] of gaps.entries()) assignGap(gap, drafts, k, ownLeading);
  stealPhotoTitles(drafts);
  return foldEmpty(drafts);
}

function findAnchors(entries: readonly Entry[]): { index: number; kind: AnchorKind }[] {
  const anchors: { index: number; kind: AnchorKind }[] = [];
  let hasBody = false;
  for (const [i, entry] of entries.entries()) {
    const item = entry.item;
    let kind: AnchorKind | undefined;
    if (item.type === "ad") kind = "ad";
    else if (item.type === "credit") {
      const photoWithCaption = item.credits[0]?.photo === true && entries[i - 1]?.caption === true;
      // A photo credit after an article's last paragraph credits that article.
      if (!photoWithCaption && !(item.credits[0]?.photo === true && hasBody)) kind = "byline";
    } else if (item.type === "text" && entry.role === "body") {
      if (entry.caption) kind = "photo";
      else if (entry.weather) kind = "weather";
      else if (item.text.startsWith("本报讯") && hasBody) kind = "lead";
      else if (anchors.length === 0) kind = "implicit";
    }
    if (kind !== undefined) {
      anchors.push({ index: i, kind });
      hasBody = kind !== "byline";
    } else if (isBodyEntry(entry)) {
      hasBody = true;
    }
  }
  return anchors;
}

function addLeading(draft: Draft, entry: Entry): void {
  const item = entry.item;
  if (item.type === "heading") draft.headingLines.push({ text: item.text, level: item.level });
  else if (item.type === "text") draft.headingLines.push({ text: item.text });
  else if (item.type === "column") draft.column ??= item.text;
  if (item.type !== "credit" && item.type !== "ad") draft.notes.push(...item.notes);
}

function addBody(draft: Draft, entry: Entry): void {
  const item = entry.item;
  if (item.type === "text" || item.type === "heading") {
    draft.body.push({ text: item.text, subhead: entry.role === "headline", notes: item.notes });
    draft.notes.push(...item.notes);
  } else if (item.type === "ad") {
    draft.adLines = item.lines;
  } else if (item.type === "column") {
    draft.column ??= item.text;
  } else if (item.type === "note") {
    draft.notes.push(...item.notes);
    // A continuation note ends the paragraph before it: the rest is on another page.
    const lastParagraph = draft.body.at(-1);
    if (lastParagraph) lastParagraph.notes.push(...item.notes);
  }
}

/**
 * Gives the headings, columns and notes found after one article's body and before the next
 * anchor to the right article (see the module comment).
 */
function assignGap(
  gap: readonly Entry[],
  drafts: Draft[],
  k: number,
  ownLeading: readonly boolean[],
): void {
  const prev = drafts[k];
  if (!prev) return;
  const next = drafts[k + 1];
  const lines: HeadingLine[] = [];
  for (const { item } of gap) {
    if (item.type === "heading") lines.push({ text: item.text, level: item.level });
    else if (item.type === "text") lines.push({ text: item.text });
    else if (item.type === "column") (next ?? prev).column ??= item.text;
    // Notes after an article's body belong to it: its text goes on on another page.
    if (item.type !== "credit" && item.type !== "ad") prev.notes.push(...item.notes);
  }
  if (lines.length === 0) return;

  const prevHeadless = prev.headingLines.length === 0;
  const text = lines.map((l) => l.text).join("");
  const trailing =
    prevHeadless &&
    (next === undefined ||
      ownLeading[k + 1] === true ||
      overlap(text, bodyText(prev)) > overlap(text, bodyText(next)));
  if (trailing) prev.headingLines.push(...lines);
  else if (next) next.headingLines.unshift(...lines);
  else {
    // Headings after the last article that already has a headline: a headline-only article.
    drafts.push({ kind: "implicit", headingLines: lines, body: [], credits: [], notes: [] });
  }
}

function bodyText(draft: Draft): string {
  return [...draft.body.map((b) => b.text), ...(draft.adLines ?? [])].join("");
}

/** Share of the heading's character bigrams (Chinese, letters, digits) that occur in the body. */
function overlap(heading: string, body: string): number {
  const grams = bigrams(heading);
  if (grams.size === 0) return 0;
  const inBody = bigrams(body);
  let shared = 0;
  for (const g of grams) if (inBody.has(g)) shared++;
  return shared / grams.size;
}

function bigrams(text: string): Set<string> {
  const chars = Array.from(text.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, ""));
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

/**
 * A photo without an adjacent title may have it printed elsewhere on the page: a short heading
 * whose words appear in the caption ("春暖花开"). Takes it from a multi-line headline block only,
 * so that no article loses its only headline.
 */
function stealPhotoTitles(drafts: readonly Draft[]): void {
  for (const photo of drafts) {
    if (photo.kind !== "photo" || photo.headingLines.length > 0) continue;
    const caption = bodyText(photo).replace(/\s+/gu, "");
    for (const other of drafts) {
      if (other === photo || other.headingLines.length < 2) continue;
      const at = other.headingLines.findIndex((l) => {
        const title = l.text.replace(/\s+/gu, "");
        return (
          compactLength(title) <= MAX_PHOTO_TITLE_CHARS &&
          title.length >= 2 &&
          caption.includes(title)
        );
      });
      const title = other.headingLines[at];
      if (title) {
        other.headingLines.splice(at, 1);
        photo.headingLines.push(title);
        break;
      }
    }
  }
}

/**
 * An anchor that collected nothing but credits (a byline printed apart) joins the article before
 * it, or the one after it at the top of the page.
 */
function foldEmpty(drafts: readonly Draft[]): Draft[] {
  const out: Draft[] = [];
  let pending: Draft | undefined;
  for (const draft of drafts) {
    const empty = draft.body.length === 0 && draft.headingLines.length === 0 && !draft.adLines;
    const target = out.at(-1);
    if (empty) {
      if (target) mergeInto(target, draft);
      else if (pending) mergeInto(pending, draft);
      else pending = draft;
      continue;
    }
    if (pending) {
      draft.credits.unshift(...pending.credits);
      draft.notes.unshift(...pending.notes);
      if (pending.column !== undefined) draft.column ??= pending.column;
      pending = undefined;
    }
    out.push(draft);
  }
  return out;
}

function mergeInto(target: Draft, draft: Draft): void {
  target.credits.push(...draft.credits);
  target.notes.push(...draft.notes);
  if (draft.column !== undefined) target.column ??= draft.column;
}

/** Builds the final articles: headline, paragraphs, kind, ids. */
function finish(drafts: readonly Draft[], meta: EditionMeta, source: string): Article[] {
  const articles: Article[] = [];
  const seen = new Set<string>();
  for (const draft of drafts) {
    const parts = assembleHeadline(draft.headingLines);
    let paragraphs = mergeWraps(draft.body);
    if (draft.adLines) {
      const [first, ...rest] = draft.adLines;
      const titled = !parts && first !== undefined && isHeadingLike(first, false);
      paragraphs = [...paragraphs, ...(titled ? rest : draft.adLines)];
      if (titled && first !== undefined) draft.headingLines.push({ text: first });
    }
    paragraphs = dropDuplicates(paragraphs);
    const finalParts = parts ?? assembleHeadline(draft.headingLines);
    if (!finalParts && paragraphs.length === 0) continue;
    const kind = kindOf(draft, finalParts?.headline ?? "", finalParts?.subtitle);
    const headline = finalParts?.headline ?? fallbackHeadline(kind, paragraphs);
    const credits = draft.credits.map((c) => c.raw);
    const names = draft.credits.flatMap((c) => c.names);
    const byline = [...new Set(names.length > 0 ? names : inlineByline(paragraphs))];
    const id = uniqueId(articleId(source, headline, paragraphs), seen);
    const article: Article = {
      ...meta,
      id,
      editionId: source,
      headline,
      byline,
      credits,
      kind,
      paragraphs,
      notes: [...new Set(draft.notes)],
      source,
      position: articles.length,
      contentHash: contentHash(headline, paragraphs),
    };
    if (finalParts?.subtitle !== undefined) article.subtitle = finalParts.subtitle;
    if (draft.column !== undefined) article.column = draft.column;
    articles.push(article);
  }
  return articles;
}

function kindOf(draft: Draft, headline: string, subtitle: string | undefined): ArticleKind {
  if (draft.kind === "photo") return "photo";
  if (draft.kind === "weather") return "weather";
  if (draft.kind === "ad")
    return /公告|启事|通告|声明|公示|通知$/u.test(headline) ? "notice" : "ad";
  if (/——\s*访/u.test(`${headline} ${subtitle ?? ""}`)) return "interview";
  if (draft.credits.some((c) => c.commentary) || /评论|时评|短评|社论/u.test(draft.column ?? "")) {
    return "commentary";
  }
  if (draft.kind === "implicit" && draft.credits.length === 0 && draft.headingLines.length === 0)
    return "other";
  return "news";
}

/** Names from a lead such as "本报讯（记者 赵六）昨天，…" when no credit line was printed. */
function inlineByline(paragraphs: readonly string[]): string[] {
  const match = /^本报讯\s*[（(]([^（()）]{2,40})[)）]/u.exec(paragraphs[0] ?? "");
  return match?.[1] ? (parseCreditLine(match[1], true)?.names ?? []) : [];
}

function fallbackHeadline(kind: ArticleKind, paragraphs: readonly string[]): string {
  if (kind === "weather") return WEATHER_HEADLINE;
  return firstClause(paragraphs[0] ?? "");
}
