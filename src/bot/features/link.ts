import { Composer } from "grammy";
import type { Context } from "grammy";
import { existsSync } from "node:fs";
import path from "node:path";
import type { BotDeps } from "../deps.js";
import { EditionFetchError, fetchEdition } from "../fetch-edition.js";
import { storedUploadName } from "../uploads.js";
import { acceptEdition } from "./upload.js";

/** A message that is one link and nothing else (any scheme, so that ftp:// is refused by name). */
const LINK = /^[a-z][a-z0-9+.-]*:\/\/\S+$/iu;

/**
 * Admin links: an admin sends the link of an e-paper page or a page PDF in a private chat; it is
 * fetched (allowed hosts only, see fetch-edition.ts) and handled like an uploaded file. Anyone
 * else's link, and any other text, goes on to the next features (a question).
 */
export function createLinkFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const admins = new Set(deps.settings.adminUserIds);
  const { settings } = deps;

  composer.chatType("private").on("message:text", async (ctx, next) => {
    const text = ctx.message.text.trim();
    if (!admins.has(ctx.from.id) || !LINK.test(text)) return next();
    let fetched;
    try {
      fetched = await fetchEdition(text, {
        allowedHosts: settings.editionSources,
        maxBytes: settings.maxUploadBytes,
        timeoutMs: settings.editionFetchTimeoutMs,
      });
    } catch (error) {
      if (!(error instanceof EditionFetchError)) throw error;
      deps.logger.info({ userId: ctx.from.id, reason: error.message }, "edition link refused");
      await ctx.reply(`没有导入这个链接:${error.userMessage}`);
      return;
    }
    const name = storedUploadName(fetched.name, undefined);
    if (name === undefined) {
      await ctx.reply(`没有导入这个链接:文件名“${fetched.name}”不是可导入的版面格式。`);
      return;
    }
    if (existsSync(path.join(settings.editionsDir, name))) {
      await ctx.reply(`没有导入这个链接:“${name}”与示例版面同名。`);
      return;
    }
    deps.logger.info(
      { userId: ctx.from.id, host: new URL(text).host, file: name, bytes: fetched.bytes.length },
      "edition link fetched",
    );
    await acceptEdition(ctx, deps, {
      original: fetched.name,
      name,
      bytes: fetched.bytes,
      by: ctx.from.id,
    });
  });

  return composer;
}
