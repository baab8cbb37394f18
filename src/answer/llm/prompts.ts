import fs from "node:fs";
import path from "node:path";
import { ROOT_DIR } from "../../config.js";
import { isoDayInTimeZone } from "../../dates/calendar.js";
import { formatDateZh } from "../render.js";

/** The repository's prompts/ folder. */
export const DEFAULT_PROMPTS_DIR = path.join(ROOT_DIR, "prompts");

/** The three prompt templates, as LangChain f-string templates ({name} variables, {{ for a brace}}). */
export interface PromptTemplates {
  /** System message of the answer call. */
  system: string;
  /** User message of the answer call: passages and question. */
  answer: string;
  /** The single message of the follow-up rewrite call. */
  rewrite: string;
}

/** Variables each template may use. */
const ALLOWED: Readonly<Record<keyof PromptTemplates, readonly string[]>> = {
  system: ["today", "count"],
  answer: ["today", "passages", "question", "count"],
  rewrite: ["today", "history", "question"],
};

/** The {name} variables of an f-string template; throws on a lone brace. */
function templateVariables(file: string, template: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if ((ch === "{" || ch === "}") && template[i + 1] === ch) {
      i++;
      continue;
    }
    if (ch === "}") {
      throw new Error(`${file}: lone '}' at offset ${i}; write '}}' for a literal brace.`);
    }
    if (ch === "{") {
      const end = template.indexOf("}", i);
      const name = end < 0 ? "" : template.slice(i + 1, end);
      if (!/^[a-z]+$/u.test(name)) {
        throw new Error(
          `${file}: '{' at offset ${i} does not start a {variable}; write '{{' for a literal brace.`,
        );
      }
      names.push(name);
      i = end;
    }
  }
  return names;
}

/**
 * Reads system.md, answer.md and rewrite.md from `dir` and checks their variables, so that a
 * broken prompt stops the bot at startup rather than failing every question. Throws Error naming
 * the file and the fix when a file is missing or a variable is unknown or missing.
 */
export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): PromptTemplates {
  const read = (name: keyof PromptTemplates): { text: string; vars: string[] } => {
    const file = path.join(dir, `${name}.md`);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (cause) {
      throw new Error(
        `Prompt file ${file} cannot be read: restore it from the repository's prompts/ or set LLM_PROMPTS_DIR to a folder with system.md, answer.md and rewrite.md.`,
        { cause },
      );
    }
    const vars = templateVariables(file, text);
    const unknown = vars.filter((v) => !ALLOWED[name].includes(v));
    if (unknown.length > 0) {
      throw new Error(
        `${file}: unknown variable(s) ${unknown.map((v) => `{${v}}`).join(", ")}; allowed: ${ALLOWED[name].map((v) => `{${v}}`).join(", ")}.`,
      );
    }
    return { text, vars };
  };
  const system = read("system");
  const answer = read("answer");
  const rewrite = read("rewrite");
  const answerVars = new Set([...system.vars, ...answer.vars]);
  for (const v of ["today", "passages", "question"]) {
    if (!answerVars.has(v)) {
      throw new Error(`${path.join(dir, "answer.md")} (with system.md) must use {${v}}.`);
    }
  }
  for (const v of ["today", "history", "question"]) {
    if (!rewrite.vars.includes(v)) {
      throw new Error(`${path.join(dir, "rewrite.md")} must use {${v}}.`);
    }
  }
  return { system: system.text, answer: answer.text, rewrite: rewrite.text };
}

/** Today's date in Chinese, e.g. "2026年3月7日(星期六)", in the given IANA time zone. */
export function formatTodayZh(date: Date, timeZone = "Asia/Shanghai"): string {
  const weekday = new Intl.DateTimeFormat("zh-CN", { timeZone, weekday: "long" }).format(date);
  return `${formatDateZh(isoDayInTimeZone(date, timeZone))}(${weekday})`;
}
