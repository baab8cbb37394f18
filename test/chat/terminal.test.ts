import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runTerminalChat } from "../../src/chat/terminal.js";
import { useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("terminal-chat-");

/** Runs the terminal chat over the lines and returns what it wrote and how many it answered. */
async function chat(lines: readonly string[]): Promise<{ written: string; answered: number }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = "";
  output.on("data", (d: Buffer) => (written += d.toString("utf8")));
  input.end(`${lines.join("\n")}\n`);
  const answered = await runTerminalChat(sample.engine, { input, output });
  return { written, answered };
}

describe("terminal chat: follow-ups", () => {
  it("reads 它 in a second turn as the company of the first, by its full name", async () => {
    const { written, answered } = await chat(["高裕家居主要生产什么产品?", "它在哪个镇?"]);
    expect(answered).toBe(2);
    expect(written).toContain("记忆棉床垫");
    expect(written).toContain("(理解为:浙江高裕家居科技股份有限公司在哪个镇?)");
  });

  it("puts the event of the first turn into 谁主持的? and answers it from that event's report", async () => {
    const { written } = await chat(["第134期创新学堂什么时候举行的?", "谁主持的?"]);
    expect(written).toContain("(理解为:第134期创新学堂是谁主持的?)");
    expect(written).toContain("陈王进");
  });

  it("does not rewrite a question that names its own subject after a question about 平湖", async () => {
    const { written } = await chat([
      "平湖的人工智能专项基金有多大?",
      "阿里巴巴那个基地投了多少钱,什么时候建好?",
    ]);
    expect(written).not.toContain("理解为");
    expect(written).toContain("143亿元");
  });

  it("replies to small talk without a source, and a follow-up after 谢谢 still leans on the question", async () => {
    const { written } = await chat(["高裕家居主要生产什么产品?", "谢谢", "它在哪个镇?"]);
    const at = written.indexOf("不客气!");
    expect(at).toBeGreaterThan(0);
    // The reply ends at the chat's blank line, with no source list.
    expect(written.slice(at, written.indexOf("\n\n", at))).not.toContain("来源");
    expect(written).toContain("(理解为:浙江高裕家居科技股份有限公司在哪个镇?)");
  });
});
