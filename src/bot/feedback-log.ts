import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Format version of one feedback line; lines of another version are counted but not read. */
export const FEEDBACK_FORMAT_VERSION = 1;

/** A 👍 or 👎 on one answer, as stored in `<dataDir>/feedback.jsonl`. */
export interface FeedbackEntry {
  v: typeof FEEDBACK_FORMAT_VERSION;
  /** ISO time of the vote. */
  at: string;
  userId: number;
  chatId: number;
  chatType: string;
  verdict: "up" | "down";
  question: string;
  abstained: boolean;
  /** What the answer cited, so an admin can see which passage misled it. */
  citations: { n: number; chunkId: string; paper: string; date: string | null; headline: string }[];
}

/** Counts and the latest complaints, for /feedback and /stats. */
export interface FeedbackSummary {
  up: number;
  down: number;
  /** Lines that could not be read (torn write, other version). */
  unreadable: number;
  /** The newest 👎 entries, newest first. */
  recentDown: FeedbackEntry[];
}

function isEntry(value: unknown): value is FeedbackEntry {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.v === FEEDBACK_FORMAT_VERSION &&
    (v.verdict === "up" || v.verdict === "down") &&
    typeof v.question === "string" &&
    typeof v.at === "string" &&
    Array.isArray(v.citations)
  );
}

/**
 * The JSONL feedback log of versions before the state store (`<dataDir>/feedback.jsonl`): the
 * store imports it once (src/state/open-state.ts), and its entry type is the store's too.
 * Appends are serialised within the process so lines never interleave; each line is one small
 * write, which O_APPEND keeps whole.
 */
export class FeedbackLog {
  #tail: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Appends one entry. Throws on I/O errors (the caller tells the user it was not saved). */
  append(entry: Omit<FeedbackEntry, "v">): Promise<void> {
    const line = `${JSON.stringify({ v: FEEDBACK_FORMAT_VERSION, ...entry })}\n`;
    const write = this.#tail.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      await appendFile(this.file, line, "utf8");
    });
    this.#tail = write.catch(() => undefined);
    return write;
  }

  /** Every readable entry, oldest first; an absent log is empty. Throws on other I/O errors. */
  async read(): Promise<{ entries: FeedbackEntry[]; unreadable: number }> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], unreadable: 0 };
      throw error;
    }
    const entries: FeedbackEntry[] = [];
    let unreadable = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        const parsed: unknown = JSON.parse(line);
        if (isEntry(parsed)) entries.push(parsed);
        else unreadable++;
      } catch {
        unreadable++;
      }
    }
    return { entries, unreadable };
  }

  /** Counts of 👍/👎 and the `recent` newest 👎 entries. Throws on I/O errors. */
  async summary(recent = 5): Promise<FeedbackSummary> {
    const { entries, unreadable } = await this.read();
    const down = entries.filter((e) => e.verdict === "down");
    return {
      up: entries.length - down.length,
      down: down.length,
      unreadable,
      recentDown: down.slice(-recent).reverse(),
    };
  }
}
