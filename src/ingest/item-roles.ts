/**
 * Roles of edition items: which text is headline-like and which is body, which paragraph is a
 * photo caption or a weather box, and which heading-like line is really a wrapped sentence start.
 */
import { endsSentence } from "../text/sentences.js";
import type { EditionItem } from "./edition-items.js";
import { isHeadingLike } from "./heading.js";
import { compactLength, isWrapFragment } from "./wrap.js";

/** A photo caption is one short paragraph; longer text above a photo credit is an article's end. */
const MAX_CAPTION_CHARS = 300;
/** Weather boxes are short and mention temperatures and sky or wind. */
const MAX_WEATHER_CHARS = 200;

/**
 * An item with its role: text items are headline-like or body; some body is a caption or weather.
 */
export interface Entry {
  item: EditionItem;
  role?: "headline" | "body";
  caption?: boolean;
  weather?: boolean;
}

/** Gives every item its role (see the module comment); never throws. */
export function classifyItems(items: readonly EditionItem[], hardWrapped: boolean): Entry[] {
  const entries: Entry[] = items.map((item) => {
    if (item.type === "heading") return { item, role: "headline" };
    if (item.type !== "text") return { item };
    const weather = isWeather(item.text);
    return {
      item,
      role: weather || !isHeadingLike(item.text, hardWrapped) ? "body" : "headline",
      weather,
    };
  });
  for (const [i, entry] of entries.entries()) {
    const next = entries[i + 1]?.item;
    if (
      entry.item.type === "text" &&
      entry.role === "body" &&
      next?.type === "credit" &&
      next.credits[0]?.photo === true &&
      !entry.item.text.startsWith("本报讯") &&
      compactLength(entry.item.text) <= MAX_CAPTION_CHARS
    ) {
      entry.caption = true;
    }
  }
  // Backwards, so that the entry after a heading already has its final role.
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (!entry || entry.item.type !== "text" || entry.role !== "headline") continue;
    const next = entries[i + 1];
    if (!next || !isPlainBody(next) || next.item.type !== "text") continue;
    const nextText = next.item.text;
    const prev = entries[i - 1];
    const prevOpen =
      prev?.item.type === "text" &&
      prev.role === "body" &&
      prev.item.notes.length === 0 &&
      !endsSentence(prev.item.text);
    // A heading-like line after an unfinished paragraph, or one that reads as a sentence start,
    // is body text that a wrap cut off.
    if (prevOpen || isWrapFragment(entry.item.text, nextText)) entry.role = "body";
  }
  return entries;
}

/** Body text that is not itself the start of a new article. */
function isPlainBody(entry: Entry): boolean {
  return (
    entry.item.type === "text" &&
    entry.role === "body" &&
    entry.caption !== true &&
    entry.weather !== true &&
    !entry.item.text.startsWith("本报讯")
  );
}

function isWeather(text: string): boolean {
  return (
    /气温/u.test(text) &&
    /晴|阴|多云|雨|雪|风/u.test(text) &&
    compactLength(text) <= MAX_WEATHER_CHARS
  );
}

/** True for body text and ad blocks: what an article's body is made of. Never throws. */
export function isBodyEntry(entry: Entry): boolean {
  return (entry.item.type === "text" && entry.role === "body") || entry.item.type === "ad";
}
