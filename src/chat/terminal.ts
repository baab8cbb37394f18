import readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Engine } from "../engine.js";
import { renderAnswerText } from "../answer/render.js";

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
  if (options.prompt) write("问> ");
  for await (const line of lines) {
    const question = line.trim();
    if (question !== "") {
      try {
        const answer = await engine.ask(question);
        write(`${renderAnswerText(answer)}\n\n`);
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
