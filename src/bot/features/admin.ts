import { Composer, InlineKeyboard } from "grammy";
import type { Context, MiddlewareFn } from "grammy";
import { existsSync } from "node:fs";
import path from "node:path";
import { formatDateZh } from "../../answer/render.js";
import { resolveEditionMeta } from "../../ingest/metadata.js";
import { parseSearchText } from "../../retrieval/articles.js";
import { BUTTON_KEY_PATTERN } from "../../state/index.js";
import type { BotDeps } from "../deps.js";
import type { SkippedInput } from "../../ingest/load.js";
import { formatBeijingTime } from "../digest.js";
import type { IndexJobOutcome } from "../index-jobs.js";
import { describeError } from "../logger.js";
import { displayPaper, escapeHtml, truncate } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { TEXTS } from "../texts.js";
import { listUploads, removeUpload } from "../uploads.js";

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
    if (ctx.callbackQuery)
      await ctx.answerCallbackQuery({ text: TEXTS.adminOnly, show_alert: true });
    else await ctx.reply(TEXTS.adminOnly);
  };
}

/** One uploaded file with the paper and date it holds. */
export interface UploadedEdition {
  file: string;
  paper: string;
  date: string | null;
}

/**
 * The uploaded files with their paper and date: from the upload record when there is one (a
 * caption or a JSONL export may name them), else from the file name.
 */
export async function describeUploads(deps: BotDeps): Promise<UploadedEdition[]> {
  const records = await deps.state.listUploadRecords({ includeRemoved: false });
  return (await listUploads(deps.settings.uploadsDir)).map((file) => {
    const record = records.find((r) => r.file === file);
    const meta = resolveEditionMeta(file);
    return {
      file,
      paper: record?.paper ?? meta.paper,
      date: record?.date ?? meta.date,
    };
  });
}

/** "平湖日报 2026年3月10日". */
function labelOf(upload: UploadedEdition): string {
  return `${displayPaper(upload.paper)} ${formatDateZh(upload.date)}`;
}

/** Deletes one uploaded file, marks its record removed and starts the job that drops it. */
async function removeUploaded(
  ctx: Context,
  deps: BotDeps,
  upload: UploadedEdition,
): Promise<boolean> {
  if (!(await removeUpload(deps.settings.uploadsDir, upload.file))) return false;
  await deps.state.markUploadRemoved(upload.file, deps.now().getTime());
  deps.logger.info({ userId: ctx.from?.id, file: upload.file }, "upload removed");
  return true;
}

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

/** "upload 2026-03-10_平湖日报.txt" without the storage names' noise, for /stats. */
function describeReasons(reasons: readonly string[]): string {
  return truncate(reasons.join("、"), 200);
}

/** Admin commands: /stats, /feedback, /reindex and /remove 报纸 日期 (or from buttons). */
export function createAdminFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("stats", adminOnly(deps, "/stats"), async (ctx) => {
    const { manifest } = deps.engine.index;
    const feedback = await deps.state.feedbackSummary(0);
    const uploads = await listUploads(deps.settings.uploadsDir);
    const subscriptions = await deps.state.listSubscriptions(undefined);
    const digests = await deps.state.listDigests(undefined);
    const last = deps.indexJobs.last;
    const created = new Date(manifest.createdAt);
    const lines = [
      "<b>新闻库</b>",
      `版面 ${manifest.counts.editions} 期 · 文章 ${manifest.counts.articles} 篇 · 段落 ${manifest.counts.chunks} 段`,
      `最近索引:${Number.isNaN(created.getTime()) ? escapeHtml(manifest.createdAt) : formatBeijingTime(created)}`,
      `上传的版面:${uploads.length} 个`,
      `索引任务:${deps.indexJobs.pending > 0 ? `进行中 ${deps.indexJobs.pending} 个` : "空闲"}`,
      ...(last
        ? [
            `上次任务:${formatBeijingTime(last.finishedAt)},${escapeHtml(describeReasons(last.reasons))}`,
          ]
        : []),
      "",
      `<b>使用</b>(本实例自 ${formatBeijingTime(deps.stats.startedAt)} 起)`,
      `已回答问题 ${deps.stats.questions} 个,其中未找到答案 ${deps.stats.abstained} 个`,
      `反馈:👍 ${feedback.up} · 👎 ${feedback.down}`,
      `订阅 ${subscriptions.length} 个 · 每日摘要 ${digests.length} 个`,
    ];
    await replyHtml(ctx, lines.join("\n"));
  });

  composer.command("feedback", adminOnly(deps, "/feedback"), async (ctx) => {
    const summary = await deps.state.feedbackSummary(10);
    const lines = [`<b>用户反馈</b>:👍 ${summary.up} · 👎 ${summary.down}`];
    if (summary.recentDown.length > 0) lines.push("", "<b>最近的 👎</b>");
    for (const entry of summary.recentDown) {
      const cited = entry.citations
        .map((c) => `《${escapeHtml(truncate(c.headline, 24))}》`)
        .join("");
      const at = new Date(entry.at);
      lines.push(
        `• ${Number.isNaN(at.getTime()) ? "" : escapeHtml(formatBeijingTime(at).replace(/ .*/u, ""))} “${escapeHtml(truncate(entry.question, 60))}”` +
          (entry.abstained ? " (未找到答案)" : cited ? ` 引用 ${cited}` : ""),
      );
    }
    await replyHtml(ctx, lines.join("\n"));
  });

  composer.command("reindex", adminOnly(deps, "/reindex"), async (ctx) => {
    await ctx.reply("开始重建索引;期间照常回答问题,完成后通知你。");
    startIndexJob(ctx, deps, "/reindex");
  });

  composer.command("remove", adminOnly(deps, "/remove"), async (ctx) => {
    const query = ctx.match.trim();
    const uploads = await describeUploads(deps);
    if (query === "") {
      if (uploads.length === 0) {
        await ctx.reply("还没有上传的版面。示例版面随程序提供,不能删除。");
        return;
      }
      const key = await deps.state.putButton(
        ctx.chat.id,
        "uploads",
        uploads.map((u) => u.file),
      );
      const keyboard = new InlineKeyboard();
      for (const [i, upload] of uploads.slice(0, 50).entries()) {
        keyboard.text(`删除 ${truncate(labelOf(upload), 30)}`, `rm:${key}:${i}`).row();
      }
      await ctx.reply(
        "点按钮删除上传的版面,或发送 /remove 报纸 日期,例如 /remove 平湖日报 2026-03-10。",
        { reply_markup: keyboard },
      );
      return;
    }
    // An exact stored name still works; otherwise "报纸 日期".
    let matches = uploads.filter((u) => u.file === query);
    if (matches.length === 0) {
      const parsed = parseSearchText(query);
      const paper = parsed.text.trim();
      const day =
        parsed.range && parsed.range.from === parsed.range.to ? parsed.range.from : undefined;
      if (paper === "" || day === undefined) {
        await ctx.reply(
          "用法:/remove 报纸 日期,例如 /remove 平湖日报 2026-03-10;只发 /remove 可从列表中选。",
        );
        return;
      }
      matches = uploads.filter((u) => u.date === day && u.paper.includes(paper));
      if (matches.length === 0) {
        const isSample =
          deps.engine.index.manifest.editions.some(
            (e) => e.date === day && e.paper.includes(paper),
          ) || existsSync(path.join(deps.settings.editionsDir, path.basename(query)));
        await ctx.reply(
          isSample
            ? `${paper} ${formatDateZh(day)}是随程序提供的示例版面,不能删除;只能删除管理员上传的版面。发送 /remove 查看列表。`
            : `没有找到上传的 ${paper} ${formatDateZh(day)}。发送 /remove 查看上传的版面。`,
        );
        return;
      }
    }
    const removed: string[] = [];
    for (const upload of matches)
      if (await removeUploaded(ctx, deps, upload)) removed.push(labelOf(upload));
    await ctx.reply(`已删除 ${removed.join("、")},正在重建索引……`);
    startIndexJob(ctx, deps, `remove ${matches.map((m) => m.file).join(", ")}`);
  });

  composer.callbackQuery(
    new RegExp(`^rm:(${BUTTON_KEY_PATTERN}):(\\d+)$`, "u"),
    adminOnly(deps, "remove button"),
    async (ctx) => {
      const chatId = ctx.chat?.id;
      const files =
        chatId === undefined
          ? undefined
          : ((await deps.state.getButton(ctx.match[1] ?? "", chatId, "uploads")) as
              string[] | undefined);
      if (files === undefined) {
        await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired, show_alert: true });
        return;
      }
      const file = files[Number(ctx.match[2])];
      const upload = (await describeUploads(deps)).find((u) => u.file === file);
      if (!upload || !(await removeUploaded(ctx, deps, upload))) {
        await ctx.answerCallbackQuery({ text: "这个版面已经删除了。", show_alert: true });
        return;
      }
      await ctx.answerCallbackQuery({ text: `已删除 ${labelOf(upload)}` });
      await ctx.reply(`已删除 ${labelOf(upload)},正在重建索引……`);
      startIndexJob(ctx, deps, `remove ${upload.file}`);
    },
  );

  return composer;
}
