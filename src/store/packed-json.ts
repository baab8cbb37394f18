import { isAscii } from "node:buffer";
import { endianness } from "node:os";
import { PackedStrings } from "./packed-strings.js";

/**
 * Helpers for the JSON files every start reads (`manifest.json`, `catalog.json`), written so that
 * they parse fast: ASCII throughout, and long lists packed into a few strings.
 */

/**
 * `value` as JSON in ASCII bytes, every other UTF-16 unit escaped (`\uXXXX`, surrogates one by
 * one). An ASCII file decodes to a one-byte string: about three times faster than UTF-8 holding
 * Chinese, which gives a two-byte string of twice the memory. Never throws for plain data.
 */
export function asciiJson(value: unknown): Buffer {
  return Buffer.from(
    JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
    ),
    "latin1",
  );
}

/** The text of a JSON file: as Latin-1 when it is ASCII (the same text, decoded faster). */
export function jsonText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(buffer) ? buffer.toString("latin1") : buffer.toString("utf8");
}

/** Unsigned 32-bit integers as base64 of their little-endian bytes. Never throws. */
export function base64U32(values: ArrayLike<number>): string {
  const le = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) le.writeUInt32LE(values[i] ?? 0, i * 4);
  return le.toString("base64");
}

/** The inverse of `base64U32`. Throws Error naming `what` when the bytes are not whole u32s. */
export function fromBase64U32(text: string, what: string): Uint32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 4 !== 0) throw new Error(`${what} is not a list of u32`);
  const values = new Uint32Array(bytes.length / 4);
  if (LITTLE_ENDIAN) new Uint8Array(values.buffer).set(bytes);
  else for (let i = 0; i < values.length; i++) values[i] = bytes.readUInt32LE(i * 4);
  return values;
}

const LITTLE_ENDIAN = endianness() === "LE";

/** A list of strings as stored: concatenated, with where each ends (base64 u32). */
export interface StoredStrings {
  joined: string;
  ends: string;
}

/** Packs strings for storing. Never throws. */
export function storeStrings(strings: readonly string[]): StoredStrings {
  const packed = PackedStrings.of(strings);
  return { joined: packed.joined, ends: base64U32(packed.ends) };
}

/** Reads strings stored by `storeStrings`. Throws Error naming `what` on a wrong shape. */
export function loadStrings(stored: unknown, what: string): PackedStrings {
  const s = stored as Partial<StoredStrings> | null;
  if (typeof s?.joined !== "string" || typeof s.ends !== "string") {
    throw new Error(`${what} is not a packed list of strings`);
  }
  return PackedStrings.fromJoined(s.joined, fromBase64U32(s.ends, what));
}
