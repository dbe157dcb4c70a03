// Polyglot detection: a file that is a valid allow-listed media file AND something else that another
// parser would act on. What we detect (and nothing more is claimed):
//   1. markup a browser or template engine would run — <html, <script, <svg, <iframe, <body, <!doctype html,
//      <?php — anywhere in the first or the last 4 KiB (browsers sniff the head; many parsers scan the tail);
//   2. a ZIP end-of-central-directory record whose comment length reaches exactly the end of the file
//      (a ZIP/JAR/DOCX is read from its end, so "PNG + appended zip" opens as an archive);
//   3. for PNG: any bytes after the IEND chunk (the usual carrier of appended payloads).
// Markup buried in the middle of compressed data is not searched: we serve every file with its sniffed
// Content-Type, `X-Content-Type-Options: nosniff` and a sandboxing CSP, so it cannot be rendered as a page.

/** How many bytes of the head and of the tail `findPolyglot` inspects (the tail covers a max ZIP comment). */
export const POLYGLOT_HEAD_BYTES = 4096;
export const POLYGLOT_TAIL_BYTES = 65_535 + 22;

const MARKUP = ["<html", "<script", "<svg", "<iframe", "<body", "<!doctype html", "<?php"];

export type PolyglotFinding = { what: "markup" | "zip" | "png_trailing_data"; detail: string };

function lowerAscii(b: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = Math.max(0, from); i < Math.min(b.length, to); i++) {
    const c = b[i]!;
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return s;
}

function findMarkup(b: Uint8Array, from: number, to: number): string | null {
  const text = lowerAscii(b, from, to);
  return MARKUP.find((m) => text.includes(m)) ?? null;
}

/** Offset in `tail` of a ZIP EOCD record consistent with ending the file, or -1. */
function findZipEnd(tail: Uint8Array): number {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] !== 0x50 || tail[i + 1] !== 0x4b || tail[i + 2] !== 0x05 || tail[i + 3] !== 0x06) continue;
    const commentLength = tail[i + 20]! | (tail[i + 21]! << 8);
    if (i + 22 + commentLength === tail.length) return i;
  }
  return -1;
}

const IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/** Where the PNG's IEND chunk (type + CRC) ends inside `tail`, or -1 when the tail has no IEND. */
export function pngIendEnd(tail: Uint8Array): number {
  outer: for (let i = tail.length - IEND.length; i >= 0; i--) {
    for (let j = 0; j < IEND.length; j++) if (tail[i + j] !== IEND[j]) continue outer;
    return i + IEND.length;
  }
  return -1;
}

/** Looks for a second personality in a media file; `tail` is the file's last bytes (all of it when short). */
export function findPolyglot(head: Uint8Array, tail: Uint8Array, format: string): PolyglotFinding | null {
  const headMarkup = findMarkup(head, 0, POLYGLOT_HEAD_BYTES);
  if (headMarkup) return { what: "markup", detail: `'${headMarkup}' in the first ${POLYGLOT_HEAD_BYTES} bytes` };
  const tailMarkup = findMarkup(tail, tail.length - 4096, tail.length);
  if (tailMarkup) return { what: "markup", detail: `'${tailMarkup}' in the last 4096 bytes` };
  if (findZipEnd(tail) >= 0) return { what: "zip", detail: "a ZIP archive directory at the end of the file" };
  if (format === "png") {
    const end = pngIendEnd(tail);
    if (end >= 0 && end < tail.length) return { what: "png_trailing_data", detail: `${tail.length - end} bytes after the PNG IEND chunk` };
  }
  return null;
}
