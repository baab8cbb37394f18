import { join } from "node:path";
import { IndexError } from "../errors.js";
import type { Embedder } from "../embeddings/embedder.js";
import type { Article } from "../types.js";
import { isErrnoCode, readWholeFile, sha256Hex } from "./durable-fs.js";
import {
  type StoredStrings,
  asciiJson,
  jsonText,
  loadStrings,
  storeStrings,
} from "./packed-json.js";
import type { PackedStrings } from "./packed-strings.js";
import { SNAPSHOT_FILES, readCurrent, snapshotDir } from "./layout.js";
import { INDEX_FORMAT_VERSION } from "./types.js";
import type {
  IndexManifest,
  ManifestEdition,
  ManifestSegment,
  SourceFingerprint,
} from "./types.js";

const FULL_REBUILD = "npm run index -- --full";

/**
 * The manifest's edition list for a set of articles held by `segment`, in first-seen order, with
 * the source file hashes known for them. Never throws.
 */
export function manifestEditions(
  articles: readonly Article[],
  segment: string,
  sources?: ReadonlyMap<string, SourceFingerprint>,
  chunks: readonly { articleId: string }[] = [],
): ManifestEdition[] {
  const chunkCounts = new Map<string, number>();
  for (const chunk of chunks)
    chunkCounts.set(chunk.articleId, (chunkCounts.get(chunk.articleId) ?? 0) + 1);
  const byId = new Map<string, { first: Article; hashes: string[]; chunks: number }>();
  for (const article of articles) {
    const n = chunkCounts.get(article.id) ?? 0;
    const entry = byId.get(article.editionId);
    if (entry === undefined)
      byId.set(article.editionId, { first: article, hashes: [article.contentHash], chunks: n });
    else {
      entry.hashes.push(article.contentHash);
      entry.chunks += n;
    }
  }
  return [...byId.entries()].map(([editionId, { first, hashes, chunks: chunkCount }]) => {
    const edition: ManifestEdition = {
      editionId,
      source: first.source,
      paper: first.paper,
      date: first.date,
      articleCount: hashes.length,
      chunkCount,
      // Paper and date count as content: a corrected date must reach the index.
      contentHash: sha256Hex(
        Buffer.from(
          [first.paper, first.date ?? "", first.datePrecision, ...hashes].join("\n"),
          "utf8",
        ),
      ),
      segment,
    };
    const sourceFile = sources?.get(editionId);
    if (sourceFile !== undefined) edition.sourceFile = sourceFile;
    return edition;
  });
}

/**
 * The edition list as `manifest.json` stores it: one list per field, hashes packed. Ten years of
 * two papers are 7,300 editions; as objects their JSON took 30-50 ms of every start to decode and
 * parse, as columns 7-15 ms, and the file is half the size.
 */
interface EditionColumns {
  editionId: string[];
  /** null: the same as `editionId` (nearly always). */
  source: (string | null)[];
  paper: string[];
  date: (string | null)[];
  articleCount: number[];
  chunkCount: number[];
  contentHash: StoredStrings;
  /** Distinct segment names; `segmentOf` indexes it. */
  segments: string[];
  segmentOf: number[];
  /** null: no fingerprint of the source file is known. */
  sourceSize: (number | null)[];
  sourceMtimeMs: (number | null)[];
  sourceMetaHash: StoredStrings;
  sourceBytesHash: StoredStrings;
}

/**
 * The bytes of `manifest.json`: compact ASCII JSON (see `asciiJson`), editions in columns. Never
 * throws.
 */
export function encodeManifest(manifest: IndexManifest): Buffer {
  const { editions, ...rest } = manifest;
  const segments = [...new Set(editions.map((e) => e.segment))];
  const segmentIndex = new Map(segments.map((name, i) => [name, i]));
  const columns: EditionColumns = {
    editionId: editions.map((e) => e.editionId),
    source: editions.map((e) => (e.source === e.editionId ? null : e.source)),
    paper: editions.map((e) => e.paper),
    date: editions.map((e) => e.date),
    articleCount: editions.map((e) => e.articleCount),
    chunkCount: editions.map((e) => e.chunkCount),
    contentHash: storeStrings(editions.map((e) => e.contentHash)),
    segments,
    segmentOf: editions.map((e) => segmentIndex.get(e.segment) ?? 0),
    sourceSize: editions.map((e) => e.sourceFile?.size ?? null),
    sourceMtimeMs: editions.map((e) => e.sourceFile?.mtimeMs ?? null),
    sourceMetaHash: storeStrings(editions.map((e) => e.sourceFile?.metaHash ?? "")),
    sourceBytesHash: storeStrings(editions.map((e) => e.sourceFile?.bytesHash ?? "")),
  };
  return asciiJson({ ...rest, editionColumns: columns });
}

/** Editions from their columns. Throws Error on columns of a wrong shape or length. */
function editionsFromColumns(stored: unknown): ManifestEdition[] {
  const c = stored as Partial<EditionColumns> | null;
  const n = Array.isArray(c?.editionId) ? c.editionId.length : -1;
  const list = <T>(value: T[] | undefined, name: string, ok: (v: unknown) => boolean): T[] => {
    if (!Array.isArray(value) || value.length !== n || !value.every(ok)) {
      throw new Error(`column ${name} is not a list of ${n}`);
    }
    return value;
  };
  const text = (v: unknown): boolean => typeof v === "string";
  const textOrNull = (v: unknown): boolean => v === null || typeof v === "string";
  const count = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
  const numberOrNull = (v: unknown): boolean => v === null || typeof v === "number";
  const editionId = list(c?.editionId, "editionId", text);
  const source = list(c?.source, "source", textOrNull);
  const paper = list(c?.paper, "paper", text);
  const date = list(c?.date, "date", textOrNull);
  const articleCount = list(c?.articleCount, "articleCount", count);
  const chunkCount = list(c?.chunkCount, "chunkCount", count);
  const segments = Array.isArray(c?.segments) && c.segments.every(text) ? c.segments : undefined;
  if (segments === undefined) throw new Error("column segments is not a list of names");
  const segmentOf = list(
    c?.segmentOf,
    "segmentOf",
    (v) => count(v) && (v as number) < segments.length,
  );
  const sourceSize = list(c?.sourceSize, "sourceSize", numberOrNull);
  const sourceMtimeMs = list(c?.sourceMtimeMs, "sourceMtimeMs", numberOrNull);
  const hashes = (value: unknown, name: string): PackedStrings => {
    const packed = loadStrings(value, `column ${name}`);
    if (packed.length !== n) throw new Error(`column ${name} is not a list of ${n}`);
    return packed;
  };
  const contentHash = hashes(c?.contentHash, "contentHash");
  const metaHash = hashes(c?.sourceMetaHash, "sourceMetaHash");
  const bytesHash = hashes(c?.sourceBytesHash, "sourceBytesHash");
  const editions: ManifestEdition[] = new Array<ManifestEdition>(n);
  for (let i = 0; i < n; i++) {
    const id = editionId[i] ?? "";
    const edition: ManifestEdition = {
      editionId: id,
      source: source[i] ?? id,
      paper: paper[i] ?? "",
      date: date[i] ?? null,
      articleCount: articleCount[i] ?? 0,
      chunkCount: chunkCount[i] ?? 0,
      contentHash: contentHash.get(i),
      segment: segments[segmentOf[i] ?? 0] ?? "",
    };
    const size = sourceSize[i];
    if (size !== null && size !== undefined) {
      edition.sourceFile = {
        size,
        mtimeMs: sourceMtimeMs[i] ?? 0,
        metaHash: metaHash.get(i),
        bytesHash: bytesHash.get(i),
      };
    }
    editions[i] = edition;
  }
  return editions;
}

/**
 * Parses `manifest.json` of a snapshot. Throws IndexError INDEX_CORRUPT when it is not a manifest,
 * INDEX_VERSION when it is one of another format version.
 */
export function parseManifest(bytes: Uint8Array, where: string): IndexManifest {
  let value: unknown;
  try {
    value = JSON.parse(jsonText(bytes));
  } catch (cause) {
    throw corrupt(`${where}/${SNAPSHOT_FILES.manifest} is not valid JSON`, cause);
  }
  if (typeof value !== "object" || value === null) {
    throw corrupt(`${where}/${SNAPSHOT_FILES.manifest} is not an object`);
  }
  const m = value as Partial<Record<keyof IndexManifest, unknown>>;
  // The version is checked before anything else: another version may have another shape.
  if (m.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexError(
      "INDEX_VERSION",
      `The index at ${where} has format version ${String(m.formatVersion)}, but this program reads ` +
        `version ${INDEX_FORMAT_VERSION}. Rebuild it: ${FULL_REBUILD}`,
    );
  }
  const embedder = m.embedder as Partial<IndexManifest["embedder"]> | undefined;
  const counts = m.counts as Partial<IndexManifest["counts"]> | undefined;
  const stored = value as { editionColumns?: unknown };
  try {
    m.editions = editionsFromColumns(stored.editionColumns);
  } catch (cause) {
    throw corrupt(`${where}/${SNAPSHOT_FILES.manifest} has damaged edition columns`, cause);
  }
  delete stored.editionColumns;
  const wellFormed =
    typeof embedder?.id === "string" &&
    typeof embedder.dimensions === "number" &&
    typeof counts?.articles === "number" &&
    typeof counts.chunks === "number" &&
    typeof counts.editions === "number" &&
    Array.isArray(m.editions) &&
    Array.isArray(m.segments) &&
    m.segments.every(
      (seg: unknown) =>
        typeof seg === "object" &&
        seg !== null &&
        typeof (seg as ManifestSegment).name === "string" &&
        typeof (seg as ManifestSegment).sha256 === "string" &&
        Array.isArray((seg as ManifestSegment).deletedEditions),
    ) &&
    typeof m.checksums === "object" &&
    m.checksums !== null &&
    Object.values(m.checksums).every((v) => typeof v === "string");
  if (!wellFormed) throw corrupt(`${where}/${SNAPSHOT_FILES.manifest} lacks required fields`);
  return value as IndexManifest;
}

/**
 * Reads the live snapshot's manifest. Throws IndexError INDEX_MISSING when there is no index,
 * INDEX_CORRUPT / INDEX_VERSION as `parseManifest`, and on other I/O errors.
 */
export async function readManifest(indexDir: string): Promise<IndexManifest> {
  const live = await readLiveManifest(indexDir);
  if (live === undefined) throw missing(indexDir);
  return live.manifest;
}

/**
 * Reads one snapshot's manifest, checked against `expectedSha256` when given (CURRENT records
 * the live one's). Throws like `readManifest`, and INDEX_CORRUPT when the checksum differs.
 */
export async function readSnapshotManifest(
  indexDir: string,
  name: string,
  expectedSha256?: string,
): Promise<IndexManifest> {
  const dir = snapshotDir(indexDir, name);
  let bytes: Buffer;
  try {
    bytes = await readWholeFile(join(dir, SNAPSHOT_FILES.manifest));
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) {
      throw corrupt(
        `${dir}/${SNAPSHOT_FILES.manifest} is missing (CURRENT names snapshot ${name})`,
      );
    }
    throw error;
  }
  if (expectedSha256 !== undefined && sha256Hex(bytes) !== expectedSha256) {
    throw corrupt(`${dir}/${SNAPSHOT_FILES.manifest} does not match the checksum in CURRENT`);
  }
  return parseManifest(bytes, dir);
}

/** Reads the live snapshot's manifest, checked against CURRENT. Throws like `readManifest`. */
export async function readLiveManifest(
  indexDir: string,
): Promise<{ name: string; manifest: IndexManifest } | undefined> {
  const current = await readCurrent(indexDir);
  if (current === undefined) return undefined;
  const manifest = await readSnapshotManifest(indexDir, current.name, current.manifestSha256);
  return { name: current.name, manifest };
}

/** Throws IndexError INDEX_EMBEDDER unless `embedder` is the one that built the index. */
export function assertSameEmbedder(manifest: IndexManifest, embedder: Embedder): void {
  const built = manifest.embedder;
  if (built.id === embedder.id && built.dimensions === embedder.dimensions) return;
  // With equal ids only the dimensions differ, so name them on both sides.
  const configured =
    built.id === embedder.id ? `${embedder.id} (${embedder.dimensions} dims)` : embedder.id;
  throw new IndexError(
    "INDEX_EMBEDDER",
    `This index was built with ${built.id} (${built.dimensions} dims) but ${configured} is ` +
      `configured. Rebuild it with \`${FULL_REBUILD}\`, or set EMBEDDING_MODEL=${built.id} to use it.`,
  );
}

/**
 * Reads a snapshot file and checks it against the manifest's checksum. Throws IndexError
 * INDEX_CORRUPT (naming the file) when it is missing, unlisted or does not match.
 */
export async function readVerified(
  dir: string,
  manifest: IndexManifest,
  file: string,
): Promise<Buffer> {
  const expected = manifest.checksums[file];
  if (expected === undefined) throw corrupt(`${dir}/${file} has no checksum in the manifest`);
  let bytes: Buffer;
  try {
    bytes = await readWholeFile(join(dir, file));
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) throw corrupt(`${dir}/${file} is missing`, error);
    throw error;
  }
  if (sha256Hex(bytes) !== expected) throw corrupt(`${dir}/${file} does not match its checksum`);
  return bytes;
}

/** IndexError INDEX_CORRUPT with the fix appended. */
export function corrupt(problem: string, cause?: unknown): IndexError {
  return new IndexError(
    "INDEX_CORRUPT",
    `The index is corrupt: ${problem}. Rebuild it: ${FULL_REBUILD}`,
    cause === undefined ? {} : { cause },
  );
}

/** IndexError INDEX_MISSING with the fix. */
export function missing(indexDir: string): IndexError {
  return new IndexError(
    "INDEX_MISSING",
    `No index at ${indexDir} (${join(indexDir, "CURRENT")} not found). Build it: run \`npm run index\`.`,
  );
}
