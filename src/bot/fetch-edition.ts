/**
 * Fetching an edition an admin sent a link to (a 数字报 article page, a page PDF): only from the
 * hosts in EDITION_SOURCES, http(s) only, redirects checked the same way, with a size cap and a
 * timeout. Every refusal says why, in Chinese for the admin and in English for the log.
 */
import path from "node:path";
import { AppError } from "../errors.js";
import { readerFor } from "../ingest/readers/index.js";

/** What may be fetched. */
export interface FetchEditionOptions {
  /** Hosts ("host" or "host:port", lower case) links may point to. */
  allowedHosts: readonly string[];
  /** Largest body read, in bytes. */
  maxBytes: number;
  /** Longest the whole fetch (redirects and body) may take, in milliseconds. */
  timeoutMs: number;
}

/** A fetched edition: a file name with its format's extension, and the bytes. */
export interface FetchedEdition {
  name: string;
  bytes: Uint8Array;
}

/** Redirects followed at most (each to an allowed host). */
const MAX_REDIRECTS = 3;

/** File extensions by the media type a server sends. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  "text/html": ".html",
  "application/xhtml+xml": ".html",
  "application/pdf": ".pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
  "text/plain": ".txt",
  "text/markdown": ".md",
  "application/x-ndjson": ".jsonl",
  "application/jsonl": ".jsonl",
};

/** Thrown when a link is refused or cannot be fetched; `userMessage` says why in Chinese. */
export class EditionFetchError extends AppError {
  constructor(message: string, userMessage: string, retryable = false, cause?: unknown) {
    super("EDITION_FETCH", message, { userMessage, retryable, cause });
  }
}

/**
 * Parses a link and checks it against the rules before anything is fetched. Throws
 * EditionFetchError for a link that is not http(s) or names a host not allowed.
 */
export function checkEditionUrl(link: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    throw new EditionFetchError(`Not a URL: ${link.slice(0, 200)}`, "这不是一个有效的链接。");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EditionFetchError(
      `Refused ${url.protocol} link: only http(s) links are fetched`,
      `只能从 http 或 https 链接获取版面,不接受 ${url.protocol.replace(/:$/u, "")} 链接。`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new EditionFetchError(
      "Refused a link with a user name or password in it",
      "链接中不能包含用户名或密码。",
    );
  }
  const host = url.host.toLowerCase();
  if (!allowedHosts.includes(host) && !allowedHosts.includes(url.hostname.toLowerCase())) {
    throw new EditionFetchError(
      `Refused link to ${host}: not in EDITION_SOURCES (${allowedHosts.join(",") || "empty"}); add the host there to allow it`,
      allowedHosts.length === 0
        ? "没有设置允许获取版面的网站(EDITION_SOURCES),请联系运维添加报社数字报的网址。"
        : `“${host}”不在允许获取版面的网站之列(${allowedHosts.join("、")})。如需添加,请联系运维设置 EDITION_SOURCES。`,
    );
  }
  return url;
}

/**
 * Fetches an edition from an allowed link (see checkEditionUrl), following at most three
 * redirects to allowed hosts. Throws EditionFetchError on a refusal, an HTTP error, a body over
 * `maxBytes`, a timeout or a type that is not an edition format.
 */
export async function fetchEdition(
  link: string,
  options: FetchEditionOptions,
): Promise<FetchedEdition> {
  let url = checkEditionUrl(link, options.allowedHosts);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const seconds = Math.round(options.timeoutMs / 1000);
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, { redirect: "manual", signal });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const location = response.headers.get("location");
        if (location === null || hop >= MAX_REDIRECTS) {
          throw new EditionFetchError(
            `Too many redirects (or one without Location) from ${url.host}`,
            "链接跳转次数过多,请发送版面的最终地址。",
          );
        }
        url = checkEditionUrl(new URL(location, url).toString(), options.allowedHosts);
        continue;
      }
      if (!response.ok || response.body === null) {
        await response.body?.cancel();
        throw new EditionFetchError(
          `Fetching ${url.host}${url.pathname} failed: HTTP ${response.status}`,
          `获取失败:网站返回 HTTP ${response.status}。`,
          response.status >= 500 || response.status === 429,
        );
      }
      const declared = Number(response.headers.get("content-length") ?? "0");
      if (declared > options.maxBytes) {
        await response.body.cancel();
        throw tooLarge(options.maxBytes);
      }
      const name = fileNameOf(url, response.headers.get("content-type"));
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Uint8Array).length;
        if (size > options.maxBytes) throw tooLarge(options.maxBytes);
        chunks.push(chunk as Uint8Array);
      }
      return { name, bytes: Buffer.concat(chunks) };
    }
  } catch (error) {
    if (error instanceof EditionFetchError) throw error;
    if (signal.aborted) {
      throw new EditionFetchError(
        `Fetching ${url.host} took longer than ${options.timeoutMs} ms (EDITION_FETCH_TIMEOUT_MS)`,
        `获取超时(超过 ${seconds} 秒),请稍后再试,或下载后直接发送文件。`,
        true,
      );
    }
    throw new EditionFetchError(
      `Fetching ${url.host} failed: ${error instanceof Error ? error.message : String(error)}`,
      "无法连接到这个网站,请稍后再试,或下载后直接发送文件。",
      true,
      error,
    );
  }
}

function tooLarge(maxBytes: number): EditionFetchError {
  const mb = (maxBytes / 1024 / 1024).toFixed(1);
  return new EditionFetchError(
    `The linked file is larger than ${maxBytes} bytes (MAX_UPLOAD_BYTES)`,
    `链接的文件超过 ${mb} MB 的上限,请拆分后再发送。`,
  );
}

/**
 * The file name an edition is stored under: the link's last path part when it has an edition
 * extension, else that (or "edition") with the extension of the media type.
 */
function fileNameOf(url: URL, contentType: string | null): string {
  const last = decodeURIComponent(url.pathname.split("/").pop() ?? "");
  if (last !== "" && readerFor(last) !== undefined) return last;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const ext = EXTENSIONS[type];
  if (ext === undefined) {
    throw new EditionFetchError(
      `The link's content type ${JSON.stringify(type)} is not an edition format`,
      `链接的内容(${type || "未知类型"})不是可导入的版面格式(PDF、网页、Word、纯文本)。`,
    );
  }
  const stem = path.basename(last, path.extname(last)) || `${url.hostname}-edition`;
  return `${stem}${ext}`;
}
