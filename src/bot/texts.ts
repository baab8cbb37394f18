import type { Retention } from "../state/index.js";
import type { IndexManifest } from "../store/types.js";
import { formatDateZh } from "../answer/render.js";
import { displayPaper, escapeHtml } from "./render/html.js";

/** The user-facing strings of the bot (Chinese), in one place so they stay consistent. */
export const TEXTS = {
  askUsage: "请在 /ask 后面写上问题,例如:/ask 平湖今年计划新开工多少个项目?",
  emptyQuestion: "请直接发送你想了解的本地新闻问题。",
  /** Shown when a follow-up was rewritten; the argument is already HTML-escaped. */
  understoodAs: (questionHtml: string) => `<i>理解为:${questionHtml}</i>`,
  questionTooLong: (max: number) => `问题太长了,请精简到 ${max} 个字以内再问。`,
  searchUsage:
    "用法:/search 关键词 [日期范围]\n例如:/search 人工智能 2025年3月、/search 算力 2025-01-01~2025-03-31",
  timelineUsage: "用法:/timeline 话题,例如:/timeline 人工智能",
  noSearchHits: (query: string) =>
    `没有找到与“${query}”相关的报道。可以换个关键词,或放宽日期范围。`,
  noLatest: (paper: string) => `没有找到“${paper}”的版面。可用 /help 查看已收录的报纸。`,
  notText:
    "我只能读懂文字消息。请用文字提问,例如“平湖今年计划新开工多少个项目?”,或发送 /help 查看用法。",
  unknownCommand: "没有这个命令。发送 /help 查看可用的命令和示例问题。",
  buttonExpired: "这个按钮已过期,请重新提问。",
  adminOnly: "抱歉,这个功能只对管理员开放。",
  genericError: "抱歉,处理时出了点问题,请稍后再试。",
  feedbackThanks: "谢谢反馈!",
  feedbackAlready: "已经收到你对这条回答的反馈了。",
  feedbackFailed: "反馈没能保存,请稍后再试。",
  subscribeUsage:
    "用法:/subscribe 关键词,例如 /subscribe 人工智能。收录新的版面后,有相关报道会第一时间告诉你。",
  noSubscriptions: "还没有订阅。用 /subscribe 关键词 订阅一个话题。",
  digestUsage:
    "用法:/digest 07:30 每天这个时间发送最新一期的标题(北京时间;也可写时区,如 /digest 07:30 Europe/Berlin);/digest off 停止。",
  /** A question refused by the rate limit; `waiting` counts the questions refused since the first. */
  rateLimited: (retryAfterSeconds: number, waiting: number) =>
    waiting <= 1
      ? `提问太频繁了,请 ${retryAfterSeconds} 秒后再试。这个问题没有回答,请稍后重新发送。`
      : `提问太频繁了,请 ${retryAfterSeconds} 秒后再试。已有 ${waiting} 个问题没有回答,请稍后重新发送。`,
  busy: (retryAfterSeconds: number) =>
    `现在提问的人太多了,请 ${retryAfterSeconds} 秒后再试。这个问题没有回答,请稍后重新发送。`,
} as const;

/** Milliseconds as "30 分钟" / "30 天", for the retention note. */
function describeSpan(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} 分钟`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} 小时`;
  return `${Math.round(hours / 24)} 天`;
}

/** What the bot stores about a user and for how long, for /help. */
export function describeStoredData(retention: Retention): string[] {
  return [
    "<b>保存哪些数据</b>",
    `• 最近 ${retention.memoryTurns} 轮问答,用于理解追问,${describeSpan(retention.memoryMs)}后删除`,
    `• 回答和搜索结果,供“来源”“全文”等按钮使用,${describeSpan(retention.buttonMs)}后删除`,
    "• 你的 👍/👎 反馈、订阅和每日摘要设置,保留到你取消或使用 /forget",
    `• 已推送给你的报道,避免重复推送,${describeSpan(retention.deliveryMs)}后删除`,
    "发送 /forget 可立即删除以上全部数据。",
  ];
}

/** The archive, paper by paper: "平湖日报:2024年7月3日、2025年2月10日". */
export function describeArchive(manifest: IndexManifest): string[] {
  const byPaper = new Map<string, (string | null)[]>();
  for (const edition of manifest.editions) {
    const dates = byPaper.get(edition.paper) ?? [];
    dates.push(edition.date);
    byPaper.set(edition.paper, dates);
  }
  return [...byPaper.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "zh"))
    .map(([paper, dates]) => {
      const sorted = [...new Set(dates)].sort((a, b) => (a ?? "").localeCompare(b ?? ""));
      return `${displayPaper(paper)}:${sorted.map(formatDateZh).join("、")}`;
    });
}

/**
 * The /start and /help text: what the bot knows (papers and dates from the index manifest), how to
 * ask, example questions, and the reporter (and, for admins, the admin) commands.
 */
export function renderHelpHtml(
  manifest: IndexManifest,
  options: {
    isAdmin: boolean;
    examples: readonly string[];
    botUsername: string;
    retention: Retention;
  },
): string {
  const lines = [
    "<b>本地新闻问答</b>",
    "我读过下面这些报纸,能回答其中报道过的本地新闻问题,每个回答都注明出处(报纸、日期、标题)。",
    "",
    "<b>已收录</b>",
    ...describeArchive(manifest).map((l) => `• ${escapeHtml(l)}`),
    `共 ${manifest.counts.editions} 期、${manifest.counts.articles} 篇报道。`,
    "",
    "<b>怎么问</b>",
    "私聊时直接发问题即可;在群里请 @我、回复我的消息,或用 /ask 问题。",
    ...options.examples.map((e) => `• ${escapeHtml(e)}`),
    "",
    "<b>记者工具</b>",
    "/search 关键词 [日期范围] — 查找报道,如 /search 人工智能 2025年3月",
    "/latest [报纸] — 最新一期的标题",
    "/timeline 话题 — 话题的报道时间线",
    `在任意聊天输入 @${escapeHtml(options.botUsername)} 关键词,可以分享报道。`,
    "",
    "<b>订阅和摘要</b>",
    "/subscribe 关键词 — 有相关新报道时通知你;/subscriptions — 查看和取消",
    "/digest 07:30 — 每天这个时间发送最新一期的标题;/digest off — 停止",
    "",
    ...describeStoredData(options.retention),
  ];
  if (options.isAdmin) {
    lines.push(
      "",
      "<b>管理员</b>",
      "发送版面 PDF、数字报网页(.html)、Word(.docx)、纯文本(.txt)或 .jsonl 文章导出即可加入新闻库(说明里可写“报纸 日期”);也可以发送数字报网址。",
      "/stats — 统计  /feedback — 用户反馈  /reindex — 重建索引",
      "/remove 报纸 日期 — 删除上传的版面(只发 /remove 可从列表中选)",
    );
  }
  lines.push("", "回答只依据已收录的报道;找不到时我会直接说明。");
  return lines.join("\n");
}
