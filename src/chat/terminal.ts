import readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Engine } from "../engine.js";
import { renderAnswerText } from "../answer/render.js";
import { createConversationMemory, rewriteFollowUp } from "../answer/llm/index.js";

/** Where the terminal chat reads and writes. */
export interface TerminalChatOptions {
  input: Readable;
  output: Writable;
  /** Show a prompt (only for an interactive terminal). Defaults to false. */
  prompt?: boolean;
}

/**
 * Runs a question-per-line chat on the engine until the input ends. Empty lines are skipped;
 * a failure on one question is reported and the chat goes on.
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
  const memory = createConversationMemory({ maxChats: 1 });
  if (options.prompt) write("问> ");
  for await (const line of lines) {
    const question = line.trim();
    if (question !== "") {
      try {
        // A follow-up ("那平湖呢?") is read against the previous question, as in the bot.
        const standalone = rewriteFollowUp(question, memory.history(0));
        const answer = await engine.ask(standalone);
        memory.remember(0, { question: standalone, answer: answer.text });
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
