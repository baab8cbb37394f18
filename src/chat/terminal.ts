import readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Engine } from "../engine.js";
import { renderAnswerText } from "../answer/render.js";
import { rewriteFollowUp } from "../answer/follow-up/rewrite.js";
import { createConversationMemory } from "../answer/llm/memory.js";

/** Where the terminal chat reads and writes. */
export interface TerminalChatOptions {
  input: Readable;
  output: Writable;
  /** Show a prompt (only for an interactive terminal). Defaults to false. */
  prompt?: boolean;
  /** Longest question answered, in characters; longer ones are refused. Defaults to 300 (as the bot). */
  maxQuestionChars?: number;
}

/** The bot's question cap, so that both front ends refuse the same questions. */
const DEFAULT_MAX_QUESTION_CHARS = 300;

/**
 * Runs a question-per-line chat on the engine until the input ends. Empty lines are skipped, a
 * line longer than `maxQuestionChars` is refused with a hint (a pasted article is not a question,
 * and retrieval over it would be slow), and a failure on one question is reported and the chat
 * goes on. Returns the number of questions answered.
 */
export async function runTerminalChat(
  engine: Engine,
  options: TerminalChatOptions,
): Promise<number> {
  const lines = readline.createInterface({ input: options.input, crlfDelay: Infinity });
  const write = (s: string): void => {
    options.output.write(s);
  };
  let answered = 0;
  const maxChars = options.maxQuestionChars ?? DEFAULT_MAX_QUESTION_CHARS;
  const memory = createConversationMemory({ maxChats: 1 });
  if (options.prompt) write("问> ");
  for await (const line of lines) {
    const question = line.trim();
    if (question !== "" && longerThan(question, maxChars)) {
      write(`问题太长了,请精简到 ${maxChars} 个字以内再问。\n\n`);
    } else if (question !== "") {
      try {
        // A follow-up ("那平湖呢?") is read against the previous question, as in the bot.
        const standalone = rewriteFollowUp(question, memory.history(0), engine.index);
        const answer = await engine.ask(standalone);
        // Small talk ("谢谢") is no turn to lean on: the previous question stays the context.
        if (answer.source !== "small-talk") {
          memory.remember(0, {
            question: standalone,
            answer: answer.text,
            articleIds: answer.citations.map((c) => c.chunk.articleId),
          });
        }
        const understood = standalone === question ? "" : `(理解为:${standalone})\n`;
        write(`${understood}${renderAnswerText(answer)}\n\n`);
        answered++;
      } catch (error) {
        write(
          `抱歉,这个问题处理失败了:${error instanceof Error ? error.message : String(error)}\n\n`,
        );
      }
    }
    if (options.prompt) write("问> ");
  }
  return answered;
}

/** True when the text has more than `max` characters (code points), without copying a long line. */
function longerThan(text: string, max: number): boolean {
  // A code point takes one or two UTF-16 units: past 2 * max units it is too long in any case.
  return text.length > 2 * max || Array.from(text).length > max;
}
