import type { Passage } from "../../types.js";
import { formatDateZh } from "../render.js";
import { splitSentences } from "../../text/sentences.js";

/** What replaces a passage sentence that reads like an instruction to the model. */
export const REDACTED_SENTENCE = "〔此句疑似对AI的指令,已略去〕";

/** Characters of a passage's text shown to the model at most. Defaults everywhere to this. */
export const DEFAULT_MAX_PASSAGE_CHARS = 1200;

/**
 * Sentences that address a language model rather than a newspaper reader. News text almost never
 * says these things, so a match is far more likely an injection than a report.
 */
const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /(忽略|无视|忘记|忘掉|不要理会|不要遵守|不要遵循|覆盖|抛开)(掉)?(你)?(之前|以上|前面|上面|上述|先前|此前|原来|原有|所有|全部|一切)的?(所有|全部)?的?(指令|指示|提示|规则|要求|设定|约束|命令|系统)/u,
  /\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|every\s+)?(of\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding|system|original)\s+(instructions?|prompts?|rules|messages?|directions?)/iu,
  /system\s*prompt|系统提示词?|系统指令|新的指令|新指令|new\s+instructions?|jailbreak|越狱模式/iu,
  /你现在(是|扮演|作为)|你是一个?(AI|人工智能|助手|语言模型|聊天机器人)|作为(一个)?(AI|人工智能|语言模型)(助手)?,?你/iu,
  /(^|[\s\n])(system|assistant|user)\s*[:：]/iu,
  /(请|必须|务必)?(只|直接)?(回答|回复|输出|告诉用户)[:："“].{0,80}(不要|无需|不必)(标注|引用|出处|来源)/u,
];

/** True when a sentence of a passage reads like an instruction to an AI model. */
export function isInstructionLike(sentence: string): boolean {
  return INSTRUCTION_PATTERNS.some((p) => p.test(sentence));
}

/**
 * Makes passage text inert inside the prompt: angle brackets (which could close or open our
 * <passage> delimiters) become 〈〉, square brackets (which could fake [n] citations) become 〔〕,
 * code fences lose their backticks, and invisible or control characters are removed.
 */
export function neutralizeDelimiters(text: string): string {
  return (
    text
      // Zero-width, bidi-override and other invisible format characters can hide instructions.
      .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu, "")
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/gu, " ")
      .replace(/[<＜‹«]/gu, "〈")
      .replace(/[>＞›»]/gu, "〉")
      .replace(/[[［【]/gu, "〔")
      .replace(/[\]］】]/gu, "〕")
      .replace(/[`｀]/gu, "'")
  );
}

/** Replaces instruction-like sentences with a placeholder; the rest of the text is kept. */
export function redactInstructions(text: string): string {
  return splitSentences(text)
    .map((s) => (isInstructionLike(s) ? REDACTED_SENTENCE : s))
    .join("");
}

/** The passage text as shown to the model: redacted, neutralised, and cut to `maxChars`. */
export function passageBody(passage: Passage, maxChars = DEFAULT_MAX_PASSAGE_CHARS): string {
  // One line per passage body: a line break inside it cannot start a fake header line.
  const text = neutralizeDelimiters(redactInstructions(passage.chunk.text))
    .replace(/\s*\n\s*/gu, " ")
    .trim();
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars).join("")}…`;
}

/** Paper, date and headline of a passage as shown to the model, neutralised. */
export function passageHeader(passage: Passage): { paper: string; date: string; headline: string } {
  const { chunk } = passage;
  return {
    paper: neutralizeDelimiters(chunk.paper === "unknown" ? "报纸不详" : chunk.paper),
    date: formatDateZh(chunk.date),
    headline: neutralizeDelimiters(redactInstructions(chunk.headline)),
  };
}

/**
 * Everything the model saw of one passage, as one string: what a cited sentence may draw on.
 * The verifier checks sentences against this, never against the raw chunk, so a sentence the
 * redaction removed cannot support a claim.
 */
export function passageMaterial(passage: Passage, maxChars = DEFAULT_MAX_PASSAGE_CHARS): string {
  const h = passageHeader(passage);
  return `${h.paper} ${h.date} ${h.headline} ${passageBody(passage, maxChars)}`;
}

/**
 * Formats passages for the prompt, numbered from 1, each between <passage n="…"> and
 * </passage>, with paper, date, headline and text on their own lines.
 */
export function formatPassageBlock(
  passages: readonly Passage[],
  maxChars = DEFAULT_MAX_PASSAGE_CHARS,
): string {
  return passages
    .map((passage, i) => {
      const h = passageHeader(passage);
      return [
        `<passage n="${i + 1}">`,
        `报纸:${h.paper}`,
        `日期:${h.date}`,
        `标题:${h.headline}`,
        `正文:${passageBody(passage, maxChars)}`,
        `</passage>`,
      ].join("\n");
    })
    .join("\n\n");
}
