import { closeSync, fstatSync, openSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { CodeScanner } from "./scan/scanner.js";
import type { HashPool } from "./hash-pool.js";
import { isErrnoCode, readInto, readWholeFile, sha256Hex } from "./durable-fs.js";
import {
  type BlockTable,
  firstDamagedBlock,
  loadBlockTable,
  sizeProblem,
} from "./verified-source.js";
import { SEGMENT_FILES, SegmentDamage, type SegmentMeta, segmentFiles } from "./segment-format.js";

/** Reads `segment.json` and checks it against the snapshot manifest's checksum. */
export async function readMeta(dir: string, metaSha256: string): Promise<SegmentMeta> {
  const metaBytes = await readWholeFile(join(dir, SEGMENT_FILES.meta)).catch((error: unknown) => {
    if (isErrnoCode(error, "ENOENT")) {
      throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta} is missing`);
    }
    throw error;
  });
  if (sha256Hex(metaBytes) !== metaSha256) {
    throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta} does not match its checksum`);
  }
  return JSON.parse(metaBytes.toString("utf8")) as SegmentMeta;
}

/** The block tables of `segment.json`, by file; files of another checksum algorithm are left out. */
export function blockTables(dir: string, meta: SegmentMeta): Map<string, BlockTable> {
  const tables = new Map<string, BlockTable>();
  if (typeof meta.blocks !== "object" || meta.blocks === null) {
    throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta} lists no block tables`);
  }
  for (const [file, stored] of Object.entries(meta.blocks)) {
    try {
      const table = loadBlockTable(stored);
      if (table !== undefined) tables.set(file, table);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta}: ${file} has a bad ${reason}`);
    }
  }
  return tables;
}

/** Checks a whole file against its sha256 in `segment.json`. Throws SegmentDamage. */
export async function verifyWhole(
  dir: string,
  file: string,
  meta: SegmentMeta,
  pool: HashPool,
): Promise<void> {
  const expected = meta.checksums[file];
  if (expected === undefined) throw new SegmentDamage(`${dir}/${file} has no checksum`);
  const actual = await pool.hash(join(dir, file)).catch((error: unknown) => {
    if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${dir}/${file} is missing`);
    throw error;
  });
  if (actual !== expected) {
    throw new SegmentDamage(`${dir}/${file} does not match its checksum`);
  }
}

/**
 * Reads a segment's vector codes into the memory of a new scanner and checks them there (the
 * bytes searched are the bytes checked): block by block with `table`, else whole against
 * `segment.json`. The read is asynchronous and under way when this returns its promise, so that
 * opening goes on meanwhile. Throws SegmentDamage when the file is missing, of another size, or
 * damaged.
 */
export async function loadCodes(
  dir: string,
  meta: SegmentMeta,
  table: BlockTable | undefined,
): Promise<CodeScanner> {
  const path = join(dir, SEGMENT_FILES.vectorCodes);
  const scanner = new CodeScanner(meta.chunks, meta.embedder.dimensions);
  const codes = scanner.codes;
  const fd = openSegmentFile(path);
  try {
    const { size } = fstatSync(fd);
    const wrongSize = table === undefined ? undefined : sizeProblem(path, size, table);
    if (wrongSize !== undefined) throw new SegmentDamage(wrongSize);
    if (size !== codes.byteLength) {
      throw new SegmentDamage(`${path} is ${size} bytes, its vectors take ${codes.byteLength}`);
    }
    await readFully(fd, codes, path);
  } finally {
    closeSync(fd);
  }
  if (table !== undefined) {
    const bad = firstDamagedBlock(codes, table);
    if (bad !== undefined) {
      throw new SegmentDamage(`${path} does not match its checksum in block ${bad}`);
    }
  } else if (sha256Hex(codes) !== meta.checksums[SEGMENT_FILES.vectorCodes]) {
    throw new SegmentDamage(`${path} does not match its checksum`);
  }
  return scanner;
}

/** Checks blocks `from`..`to` (default: all) of a file against its block table. Throws SegmentDamage. */
export async function verifyBlocks(
  dir: string,
  file: string,
  table: BlockTable,
  pool: HashPool,
  from = 0,
  to = table.sums.length,
): Promise<void> {
  const path = join(dir, file);
  const size = await stat(path).then(
    (s) => s.size,
    (error: unknown) => {
      if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${path} is missing`);
      throw error;
    },
  );
  const wrongSize = sizeProblem(path, size, table);
  if (wrongSize !== undefined) throw new SegmentDamage(wrongSize);
  const bad = await pool.verifyBlocks(path, table, from, to);
  if (bad !== undefined) {
    throw new SegmentDamage(`${path} does not match its checksum in block ${bad}`);
  }
}

/** Reads a small file whole and checks it against its sha256 in `segment.json`. */
export async function readWhole(dir: string, file: string, meta: SegmentMeta): Promise<Buffer> {
  const expected = meta.checksums[file];
  if (expected === undefined) throw new SegmentDamage(`${dir}/${file} has no checksum`);
  const bytes = await readWholeFile(join(dir, file)).catch((error: unknown) => {
    if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${dir}/${file} is missing`);
    throw error;
  });
  if (sha256Hex(bytes) !== expected) {
    throw new SegmentDamage(`${dir}/${file} does not match its checksum`);
  }
  return bytes;
}

/**
 * What a reader would refuse in a segment before reading any data: a `segment.json` that fails
 * its checksum, a file it gives no checksum, or a file missing or of another size than its block
 * table says. Cheap (one small read and a few stats): it lets an index run that has nothing new
 * to add still notice a live index it must not build upon. Bytes damaged inside a file are found
 * when read. Returns the problem, or undefined when the segment looks whole.
 */
export async function segmentProblem(dir: string, metaSha256: string): Promise<string | undefined> {
  try {
    const meta = await readMeta(dir, metaSha256);
    const tables = blockTables(dir, meta);
    for (const file of segmentFiles()) {
      if (meta.checksums[file] === undefined) return `${dir}/${file} has no checksum`;
      const size = await stat(join(dir, file)).then(
        (s) => s.size,
        () => undefined,
      );
      if (size === undefined) return `${dir}/${file} is missing`;
      const table = tables.get(file);
      const wrongSize =
        table === undefined ? undefined : sizeProblem(`${dir}/${file}`, size, table);
      if (wrongSize !== undefined) return wrongSize;
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Opens a segment's file for reading, synchronously. Throws SegmentDamage when it is missing. */
function openSegmentFile(path: string): number {
  try {
    return openSync(path, "r");
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${path} is missing`);
    throw error;
  }
}

/** Fills `target` from open file `fd` (see `readInto`). Throws SegmentDamage when it ends first. */
async function readFully(fd: number, target: Uint8Array, path: string): Promise<void> {
  const got = await readInto(fd, target);
  if (got < target.byteLength) {
    throw new SegmentDamage(`${path} ended at ${got} of ${target.byteLength} bytes`);
  }
}
