import { Composer } from "grammy";
import type { Context } from "grammy";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { AppError, IngestError } from "../../errors.js";
import { formatDateZh } from "../../answer/render.js";
import type { BotDeps } from "../deps.js";
import { displayPaper, escapeHtml, truncate } from "../render/html.js";
import { replyHtml } from "../reply.js";
import {
  UPLOAD_EXTENSIONS,
  inspectUpload,
  listUploads,
  saveUpload,
  storedUploadName,
} from "../uploads.js";
import { adminOnly, startIndexJob } from "./admin.js";

/** Headlines listed in the upload reply at most. */
const MAX_LISTED_HEADLINES = 15;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Downloads a file from the Bot API, stopping as soon as it grows past `maxBytes` (the size
 * Telegram announced may be absent). The URL holds the token, so it is never logged or thrown.
 */
async function download(url: string, maxBytes: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new AppError("DOWNLOAD_FAILED", "Downloading an uploaded file failed (network)", {
      userMessage: "文件下载失败,请重新发送。",
      retryable: true,
      cause: cause instanceof Error ? new Error(cause.name) : undefined,
    });
  }
  if (!response.ok || !response.body) {
    throw new AppError(
      "DOWNLOAD_FAILED",
      `Downloading an uploaded file failed (HTTP ${response.status})`,
      {
        userMessage: "文件下载失败,请重新发送。",
        retryable: response.status >= 500,
      },
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Uint8Array).length;
    if (size > maxBytes) {
      throw new AppError("UPLOAD_TOO_LARGE", `Upload exceeds ${maxBytes} bytes`, {
        userMessage: `文件超过 ${mb(maxBytes)} 的上限,请拆分后再上传。`,
      });
    }
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/**
 * Admin upload: an edition file (.txt) or an article export (.jsonl) sent as a document. It is
 * checked (type, size, encoding, parse) before anything is stored, then saved under the uploads
 * folder with a sanitised name, and an index job adds it; the reply says what was added or why
 * nothing was.
 */
export function createUploadFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const { settings } = deps;

  composer.chatType("private").on("message:document", adminOnly(deps, "upload"), async (ctx) => {
    const doc = ctx.message.document;
    const original = doc.file_name ?? "edition.txt";
    const name = storedUploadName(original, ctx.message.caption);
    if (name === undefined) {
      await ctx.reply(
        `没有导入“${original}”:只接受 ${UPLOAD_EXTENSIONS.join("、")} 文件。` +
          "可以直接发送版面 PDF、数字报网页(.html)、Word 文件(.docx)、纯文本(.txt)或每行一篇文章的导出(.jsonl)。",
      );
      return;
    }
    if (doc.file_size !== undefined && doc.file_size > settings.maxUploadBytes) {
      await ctx.reply(
        `文件有 ${mb(doc.file_size)},超过 ${mb(settings.maxUploadBytes)} 的上限,请拆分后再上传。`,
      );
      return;
    }
    if (existsSync(path.join(settings.editionsDir, name))) {
      await ctx.reply(`“${name}”与示例版面同名,请改个文件名再上传。`);
      return;
    }
    const file = await ctx.getFile();
    if (file.file_path === undefined) {
      await ctx.reply("Telegram 没有提供这个文件的下载地址(可能超过 20 MB),请拆分后再上传。");
      return;
    }
    const bytes = await download(
      `${settings.apiRoot}/file/bot${ctx.api.token}/${file.file_path}`,
      settings.maxUploadBytes,
    );
    await acceptEdition(ctx, deps, { original, name, bytes, by: ctx.from.id });
  });

  return composer;
}

/** An edition file an admin handed over (upload or link), not yet checked. */
export interface HandedEdition {
  /** The name as sent (for replies). */
  original: string;
  /** The sanitised name it is stored under. */
  name: string;
  bytes: Uint8Array;
  /** The admin's user id, for the log. */
  by: number;
}

/**
 * Checks an edition (type, encoding, parse), stores it in the uploads folder and starts an index
 * job; replies what was added, or in Chinese why nothing was.
 */
export async function acceptEdition(
  ctx: Context,
  deps: BotDeps,
  { original, name, bytes, by }: HandedEdition,
): Promise<void> {
  const { settings } = deps;
  let inspection;
  try {
    inspection = await inspectUpload(bytes, name);
  } catch (error) {
    if (error instanceof AppError) {
      deps.logger.info({ file: name, code: error.code, reason: error.message }, "upload rejected");
      // The reply names the file once, and says why in Chinese.
      const reason = error instanceof IngestError ? error.userReason : error.userMessage;
      await ctx.reply(`没有导入“${original}”:${reason}`);
      return;
    }
    throw error;
  }
  const saved = await saveUpload(settings.uploadsDir, name, bytes);
  const firstArticle = inspection.articles[0];
  await deps.state.recordUpload({
    file: name,
    userId: by,
    atMs: deps.now().getTime(),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    bytes: bytes.length,
    // A JSONL export names its paper and date per article; the first stands for the file.
    paper: inspection.metaKnown ? inspection.meta.paper : (firstArticle?.paper ?? null),
    date: inspection.metaKnown ? inspection.meta.date : (firstArticle?.date ?? null),
    articles: inspection.articles.length,
    headlines: inspection.articles.slice(0, MAX_LISTED_HEADLINES).map((a) => a.headline),
  });
  deps.logger.info(
    {
      userId: by,
      file: name,
      bytes: bytes.length,
      articles: inspection.articles.length,
    },
    "upload stored",
  );

  const { articles, meta } = inspection;
  const headlines = articles
    .slice(0, MAX_LISTED_HEADLINES)
    .map((a, i) => `${i + 1}. 《${escapeHtml(truncate(a.headline, 40))}》`);
  const lines = [
    `<b>已收到“${escapeHtml(name)}”</b>${saved.replaced ? "(替换了同名文件)" : ""}`,
    // A text encoding ("utf-8 编码"), or the format a binary file was read as ("PDF 文件").
    `识别出 ${articles.length} 篇文章(${escapeHtml(inspection.encoding)} ${/^(?:PDF|Word)$/u.test(inspection.encoding) ? "文件" : "编码"})` +
      (name.endsWith(".jsonl")
        ? ""
        : `,${escapeHtml(displayPaper(meta.paper))} ${escapeHtml(formatDateZh(meta.date))}`),
    ...headlines,
    ...(articles.length > MAX_LISTED_HEADLINES ? [`……等 ${articles.length} 篇`] : []),
  ];
  if (inspection.lineErrors.length > 0) {
    const first = inspection.lineErrors[0];
    lines.push(
      "",
      `有 ${inspection.lineErrors.length} 处没有导入` +
        (first ? `(如${escapeHtml(truncate(first.userReason, 120))})` : ""),
    );
  }
  if (inspection.warnings.length > 0) {
    deps.logger.info({ file: name, warnings: inspection.warnings }, "upload read despite problems");
    lines.push("", `注意:${escapeHtml(inspection.warnings.join(";"))}。`);
  }
  if (!name.endsWith(".jsonl") && !inspection.metaKnown) {
    lines.push(
      "",
      "提示:没有认出报纸和日期。可在发送文件时写说明“报纸名 YYYY-MM-DD”,或把文件命名为 2025-03-01_平湖日报.txt,再上传一次。",
    );
  }
  lines.push(
    "",
    `正在更新索引,完成后通知你。上传的版面共 ${(await listUploads(settings.uploadsDir)).length} 个。`,
  );
  await replyHtml(ctx, lines.join("\n"));
  startIndexJob(ctx, deps, `upload ${name}`);
}
