import { Composer } from "grammy";
import type { Context, MiddlewareFn } from "grammy";
import { existsSync } from "node:fs";
import path from "node:path";
import type { BotDeps } from "../deps.js";
import type { SkippedInput } from "../../ingest/load.js";
import type { IndexJobOutcome } from "../index-jobs.js";
import { describeError } from "../logger.js";
import { escapeHtml, truncate } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { TEXTS } from "../texts.js";
import { listUploads, removeUpload, sanitizeUploadName } from "../uploads.js";

/**
 * Lets only admins (ADMIN_USER_IDS) through. Anyone else gets a polite refusal, and the attempt is
 * logged with who tried what.
 */
export function adminOnly(deps: BotDeps, action: string): MiddlewareFn<Context> {
  const admins = new Set(deps.settings.adminUserIds);
  return async (ctx, next) => {
    if (ctx.from !== undefined && admins.has(ctx.from.id)) return next();
    deps.logger.warn(
      { userId: ctx.from?.id, username: ctx.from?.username, chatId: ctx.chat?.id, action },
      "admin action refused",
    );
    await ctx.reply(TEXTS.adminOnly);
  };
}

const time = (d: Date): string => d.toISOString().replace("T", " ").slice(0, 19) + " UTC";

/** Problems of one file listed in a report at most. */
const MAX_LISTED_PROBLEMS = 5;

/**
 * "索引已更新:5 期、120 篇、400 段(新增 1 期,用时 1.2 秒)", then each file skipped and each file read
 * despite a problem, with the Chinese reason: by default those no earlier job reported.
 */
export function describeOutcome(
  outcome: IndexJobOutcome,
  fresh: { skipped: readonly SkippedInput[]; notices: readonly SkippedInput[] } = outcome.fresh,
): string {
  const r = outcome.result;
  const changes = [
    r.addedEditions.length > 0 ? `新增 ${r.addedEditions.length} 期` : "",
    r.changedEditions.length > 0 ? `更新 ${r.changedEditions.length} 期` : "",
    r.removedEditions.length > 0 ? `移除 ${r.removedEditions.length} 期` : "",
  ].filter((s) => s !== "");
  const lines = [
    `索引已更新:${r.editions} 期、${r.articles} 篇、${r.chunks} 段` +
      `(${[...changes, `用时 ${r.seconds.toFixed(1)} 秒`].join(",")})。`,
  ];
  if (fresh.skipped.length > 0) {
    lines.push(`跳过 ${fresh.skipped.length} 项:`, ...listProblems(fresh.skipped));
  }
  if (fresh.notices.length > 0) {
    lines.push(`已导入,但请留意 ${fresh.notices.length} 项:`, ...listProblems(fresh.notices));
  }
  return lines.join("\n");
}

/** "• a.pdf:这是只有图片的 PDF…", at most MAX_LISTED_PROBLEMS lines and a count of the rest. */
function listProblems(problems: readonly SkippedInput[]): string[] {
  const shown = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => `• ${displayFile(p.file)}:${truncate(p.userReason, 160)}`);
  const more = problems.length - MAX_LISTED_PROBLEMS;
  return more > 0 ? [...shown, `……另有 ${more} 项`] : shown;
}

/** The file name without its folder, and without the ":line" a JSONL line's entry carries. */
function displayFile(file: string): string {
  return (file.split(/[\\/]/u).at(-1) ?? file).replace(/:\d+$/u, "");
}

/**
 * Queues an index job and tells the chat when it has finished or failed. Does not wait for it:
 * serving goes on meanwhile, and a webhook request must not outlive Telegram's patience.
 */
export function startIndexJob(ctx: Context, deps: BotDeps, reason: string): void {
  const chatId = ctx.chat?.id;
  deps.indexJobs
    .enqueue(reason)
    .then(async (outcome) => {
      deps.logger.info(
        { reasons: outcome.reasons, seconds: outcome.result.seconds },
        "index job done",
      );
      if (chatId !== undefined) await ctx.api.sendMessage(chatId, describeOutcome(outcome));
    })
    .catch(async (error: unknown) => {
      deps.logger.error({ reason, error: describeError(error) }, "index job failed");
      if (chatId !== undefined) {
        const detail = error instanceof Error ? truncate(error.message, 300) : "";
        await ctx.api
          .sendMessage(
            chatId,
            `索引更新失败,仍在使用原来的新闻库。${detail ? `\n原因:${detail}` : ""}`,
          )
          .catch(() => undefined);
      }
    });
}

/** Admin commands: /stats, /feedback, /reindex and /remove <edition>. */
export function createAdminFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("stats", adminOnly(deps, "/stats"), async (ctx) => {
    const { manifest } = deps.engine.index;
    const feedback = await deps.feedback.summary(0);
    const uploads = await listUploads(deps.settings.uploadsDir);
    const last = deps.indexJobs.last;
    const lines = [
      "<b>新闻库</b>",
      `版面 ${manifest.counts.editions} 期 · 文章 ${manifest.counts.articles} 篇 · 段落 ${manifest.counts.chunks} 段`,
      `最近索引:${escapeHtml(manifest.createdAt)}`,
      `上传的版面:${uploads.length} 个`,
      `索引任务:${deps.indexJobs.pending > 0 ? `进行中 ${deps.indexJobs.pending} 个` : "空闲"}`,
      ...(last ? [`上次任务:${time(last.finishedAt)},${escapeHtml(last.reasons.join("、"))}`] : []),
      "",
      `<b>使用</b>(自 ${time(deps.stats.startedAt)} 起)`,
      `已回答问题 ${deps.stats.questions} 个,其中未找到答案 ${deps.stats.abstained} 个`,
      `反馈:👍 ${feedback.up} · 👎 ${feedback.down}`,
    ];
    await replyHtml(ctx, lines.join("\n"));
  });

  composer.command("feedback", adminOnly(deps, "/feedback"), async (ctx) => {
    const summary = await deps.feedback.summary(10);
    const lines = [`<b>用户反馈</b>:👍 ${summary.up} · 👎 ${summary.down}`];
    if (summary.unreadable > 0) lines.push(`(${summary.unreadable} 行无法读取)`);
    if (summary.recentDown.length > 0) lines.push("", "<b>最近的 👎</b>");
    for (const entry of summary.recentDown) {
      const cited = entry.citations
        .map((c) => `《${escapeHtml(truncate(c.headline, 24))}》`)
        .join("");
      lines.push(
        `• ${escapeHtml(entry.at.slice(0, 10))} “${escapeHtml(truncate(entry.question, 60))}”` +
          (entry.abstained ? " (未找到答案)" : cited ? ` 引用 ${cited}` : ""),
      );
    }
    lines.push("", `完整记录:${escapeHtml(deps.feedback.file)}`);
    await replyHtml(ctx, lines.join("\n"));
  });

  composer.command("reindex", adminOnly(deps, "/reindex"), async (ctx) => {
    await ctx.reply("开始重建索引;期间照常回答问题,完成后通知你。");
    startIndexJob(ctx, deps, "/reindex");
  });

  composer.command("remove", adminOnly(deps, "/remove"), async (ctx) => {
    const name = ctx.match.trim();
    const uploads = await listUploads(deps.settings.uploadsDir);
    const list =
      uploads.length > 0 ? uploads.map((u) => `• ${u}`).join("\n") : "(还没有上传的版面)";
    if (name === "") {
      await ctx.reply(`用法:/remove 文件名\n上传的版面:\n${list}`);
      return;
    }
    const safe = sanitizeUploadName(name);
    if (
      safe !== undefined &&
      safe === name &&
      (await removeUpload(deps.settings.uploadsDir, safe))
    ) {
      deps.logger.info({ userId: ctx.from?.id, file: safe }, "upload removed");
      await ctx.reply(`已删除“${safe}”,正在重建索引……`);
      startIndexJob(ctx, deps, `remove ${safe}`);
      return;
    }
    const isSample =
      existsSync(path.join(deps.settings.editionsDir, path.basename(name))) ||
      deps.engine.index.manifest.editions.some(
        (e) => (e.source === name || e.editionId === name) && !uploads.includes(name),
      );
    if (isSample) {
      await ctx.reply(
        `“${name}”是随程序提供的示例版面,不能删除;只能删除管理员上传的版面:\n${list}`,
      );
      return;
    }
    await ctx.reply(`没有找到上传的版面“${name}”。上传的版面:\n${list}`);
  });

  return composer;
}
