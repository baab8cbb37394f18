import "dotenv/config";
import { ConfigError, loadConfig } from "./config.js";
import { archiveExists, createConfiguredEmbedder, createConfiguredReranker } from "./app.js";
import { runIndexJob } from "./indexer.js";
import { createEngine } from "./engine.js";
import { runTerminalChat } from "./chat/terminal.js";

const BOT_HINT = `提示:设置 TELEGRAM_BOT_TOKEN(向 @BotFather 申请)后再运行 npm start,即可启动 Telegram 机器人。
Hint: set TELEGRAM_BOT_TOKEN in .env (see .env.example) and run \`npm start\` again to start the Telegram bot.
`;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.telegramBotToken !== undefined) {
    const { runBot } = await import("./bot/run.js");
    await runBot(config);
    return;
  }
  const embedder = await createConfiguredEmbedder(config.embeddingModel, config.dataDir);
  if (!(await archiveExists(config.indexDir, config.indexUrl))) {
    const where = config.indexUrl === undefined ? `at ${config.indexDir}` : "in INDEX_URL";
    process.stderr.write(`No index ${where}; indexing the editions in ${config.editionsDir}…\n`);
    const result = await runIndexJob({
      editionDirs: [config.editionsDir],
      indexDir: config.indexDir,
      indexUrl: config.indexUrl,
      embedder,
    });
    process.stderr.write(
      `Indexed ${result.editions} editions, ${result.articles} articles, ${result.chunks} chunks in ${result.seconds.toFixed(1)}s.\n`,
    );
    for (const s of result.skipped) process.stderr.write(`  skipped ${s.file}: ${s.reason}\n`);
  }
  const engine = await createEngine({
    indexDir: config.indexDir,
    indexUrl: config.indexUrl,
    embedder,
    reranker: await createConfiguredReranker(config.rerankModel, config.dataDir),
  });
  const interactive = process.stdin.isTTY === true;
  process.stderr.write(BOT_HINT);
  if (interactive) process.stderr.write("请输入问题,每行一个;按 Ctrl-D 退出。\n");
  await runTerminalChat(engine, {
    input: process.stdin,
    output: process.stdout,
    prompt: interactive,
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
