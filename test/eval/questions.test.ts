import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readQuestionsFile } from "../../src/eval/questions.js";

let dir = "";
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-questions-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** Writes `lines` as a questions file and returns its path. */
async function questionsFile(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, lines.join("\n"));
  return file;
}

const QUESTION = {
  id: "q1",
  question: "平湖有多少户经营主体?",
  type: "fact",
  answerable: true,
  evidence: "平湖现有经营主体7.62万户",
  answer_keywords: ["7.62万户"],
};

describe("readQuestionsFile", () => {
  it("reads one question per line and skips blank lines", async () => {
    const file = await questionsFile("good.jsonl", [
      JSON.stringify(QUESTION),
      "",
      JSON.stringify({ ...QUESTION, id: "q2" }),
    ]);
    expect(readQuestionsFile(file).map((q) => q.id)).toEqual(["q1", "q2"]);
  });

  it("names the file, the line and the format when a line is not JSON", async () => {
    const file = await questionsFile("broken.jsonl", [JSON.stringify(QUESTION), '{"id": "q2",']);
    expect(() => readQuestionsFile(file)).toThrow(
      /broken\.jsonl line 2 is not JSON.*one JSON object per line/u,
    );
  });

  it("names the fields a line lacks", async () => {
    const file = await questionsFile("partial.jsonl", [
      JSON.stringify({ id: "q1", question: "?" }),
    ]);
    expect(() => readQuestionsFile(file)).toThrow(
      /partial\.jsonl line 1 is not a question.*answer_keywords/u,
    );
  });

  it("names a line without evidence, and refuses a file without questions", async () => {
    const noEvidence: Partial<typeof QUESTION> = { ...QUESTION };
    delete noEvidence.evidence;
    const file = await questionsFile("no-evidence.jsonl", [JSON.stringify(noEvidence)]);
    expect(() => readQuestionsFile(file)).toThrow(
      /no-evidence\.jsonl line 1 is not a question.*"evidence"/u,
    );
    const empty = await questionsFile("empty.jsonl", ["", "  "]);
    expect(() => readQuestionsFile(empty)).toThrow(/empty\.jsonl holds no questions/u);
  });

  it("asks for UTF-8 when the file is GBK or binary", async () => {
    const gbk = path.join(dir, "gbk.jsonl");
    // "平湖" in GBK: bytes that are no UTF-8.
    const name = Buffer.from([0xc6, 0xbd, 0xba, 0xfe]);
    await fs.writeFile(
      gbk,
      Buffer.concat([Buffer.from('{"id":"g1","question":"'), name, Buffer.from('"}\n')]),
    );
    expect(() => readQuestionsFile(gbk)).toThrow(/gbk\.jsonl is not UTF-8 text: save it as UTF-8/u);
  });

  it("says how to pass a file when it cannot be read", () => {
    const file = path.join(dir, "missing.jsonl");
    expect(() => readQuestionsFile(file)).toThrow(
      /Cannot read the questions file .*missing\.jsonl \(ENOENT\)\. Pass --questions/u,
    );
  });
});
