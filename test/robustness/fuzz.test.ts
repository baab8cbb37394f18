import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/types.js";
import {
  CASES_PER_SAMPLE,
  PARSE_DEADLINE_MS,
  articleText,
  holds,
  makeCases,
  sentencesToKeep,
} from "./fuzz-cases.js";

/** The start of a long text, for failure messages. */
const clip = (text: string): string => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** Parses in the child; rejects when the child errs, dies or misses the deadline. */
class ParseChild {
  #child: ChildProcess;
  #nextId = 0;
  #ready: Promise<void>;

  constructor() {
    this.#child = fork(path.join(import.meta.dirname, "fixtures", "parse-child.ts"), {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#ready = new Promise((resolve, reject) => {
      this.#child.once("message", () => resolve());
      this.#child.once("exit", (code) => reject(new Error(`parse child exited (${code})`)));
    });
  }

  async parse(text: string): Promise<Article[]> {
    await this.#ready;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.#child.kill("SIGKILL");
        reject(new Error(`parse did not finish within ${PARSE_DEADLINE_MS} ms (hang)`));
      }, PARSE_DEADLINE_MS);
      const onMessage = (m: { id?: number; articles?: Article[]; error?: string }): void => {
        if (m.id !== id) return;
        cleanup();
        if (m.error !== undefined) reject(new Error(`parse threw: ${m.error}`));
        else resolve(m.articles ?? []);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`parse child died (exit ${code})`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#child.off("message", onMessage);
        this.#child.off("exit", onExit);
      };
      this.#child.on("message", onMessage);
      this.#child.once("exit", onExit);
      this.#child.send({ id, text });
    });
  }

  stop(): void {
    this.#child.kill();
  }
}

describe("parseEdition under fuzzing (seeded mutations of the sample editions)", () => {
  let child: ParseChild;
  beforeAll(() => {
    child = new ParseChild();
  });
  afterAll(() => child.stop());

  const cases = makeCases();

  it("runs hundreds of distinct cases", () => {
    expect(cases.length).toBe(5 * CASES_PER_SAMPLE);
    expect(new Set(cases.map((c) => c.text)).size).toBeGreaterThan(cases.length * 0.9);
  });

  it("never crashes or hangs, and keeps every sentence", { timeout: 300_000 }, async () => {
    let sentences = 0;
    for (const fuzz of cases) {
      const articles = await child.parse(fuzz.text).catch((error: unknown) => {
        throw new Error(`${fuzz.label}: ${String(error)}`);
      });
      const haystack = articleText(articles);
      for (const sentence of sentencesToKeep(fuzz.text)) {
        sentences++;
        if (!holds(haystack, sentence)) {
          throw new Error(`${fuzz.label}: lost the sentence "${clip(sentence)}"`);
        }
      }
      for (const a of articles) {
        expect(a.headline.length, fuzz.label).toBeGreaterThan(0);
        expect(a.id, fuzz.label).toMatch(/^[0-9a-f]{16}$/u);
      }
      expect(new Set(articles.map((a) => a.id)).size, fuzz.label).toBe(articles.length);
    }
    // The check must have had something to check.
    expect(sentences).toBeGreaterThan(cases.length * 20);
  });
});
