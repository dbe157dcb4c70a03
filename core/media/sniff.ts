// Identifies a media file from its first bytes. The extension and the client's Content-Type are never
// consulted: only the magic numbers below decide what a file is, and only the allow-list passes.

export type MediaKind = "image" | "video" | "audio";

export type MediaFormat = "png" | "jpeg" | "webp" | "mp4" | "webm" | "mov" | "wav" | "mp3" | "ogg" | "flac" | "m4a";

export type Sniffed = { ok: true; kind: MediaKind; format: MediaFormat; contentType: string; extension: string };
/** `detected` names a recognised but refused format (gif, pdf, zip, html ...) so the message can say what it saw. */
export type SniffRefused = { ok: false; reason: "empty" | "unsupported_type"; detected?: string };

/** How many leading bytes `sniffMedia` wants; fewer is fine for short files. */
export const SNIFF_BYTES = 4096;

const ALLOWED: Record<MediaFormat, { kind: MediaKind; contentType: string; extension: string }> = {
  png: { kind: "image", contentType: "image/png", extension: "png" },
  jpeg: { kind: "image", contentType: "image/jpeg", extension: "jpg" },
  webp: { kind: "image", contentType: "image/webp", extension: "webp" },
  mp4: { kind: "video", contentType: "video/mp4", extension: "mp4" },
  webm: { kind: "video", contentType: "video/webm", extension: "webm" },
  mov: { kind: "video", contentType: "video/quicktime", extension: "mov" },
  wav: { kind: "audio", contentType: "audio/wav", extension: "wav" },
  mp3: { kind: "audio", contentType: "audio/mpeg", extension: "mp3" },
  ogg: { kind: "audio", contentType: "audio/ogg", extension: "ogg" },
  flac: { kind: "audio", contentType: "audio/flac", extension: "flac" },
  m4a: { kind: "audio", contentType: "audio/mp4", extension: "m4a" },
};

/** The allow-listed description of a format (for re-classification after probing, e.g. audio-only MP4 → m4a). */
export function describeFormat(format: MediaFormat): Sniffed {
  return { ok: true, format, ...ALLOWED[format] };
}

function ascii(b: Uint8Array, at: number, len: number): string {
  let s = "";
  for (let i = at; i < at + len && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  return sig.every((v, i) => b[at + i] === v);
}

/** Byte offset of an ASCII needle in the first `limit` bytes, or -1. */
function indexOfAscii(b: Uint8Array, needle: string, limit = b.length): number {
  const end = Math.min(b.length, limit) - needle.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

// ISO base media (MP4/MOV/M4A/HEIF/AVIF/3GP) brands: the major brand decides the family.
const MOV_BRANDS = new Set(["qt  "]);
const M4A_BRANDS = new Set(["M4A ", "M4B ", "M4P "]);
const IMAGE_BRANDS = new Set(["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "avif", "avis"]);
const VIDEO_BRANDS = new Set(["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "M4V ", "MSNV", "f4v ", "mmp4"]);

function sniffIsoBmff(b: Uint8Array): Sniffed | SniffRefused | null {
  const box = ascii(b, 4, 4);
  // Old QuickTime files may open with a `wide`/`moov`/`mdat` atom instead of `ftyp`.
  if (box === "moov" || box === "wide" || box === "mdat") return describeFormat("mov");
  if (box !== "ftyp") return null;
  const brand = ascii(b, 8, 4);
  if (MOV_BRANDS.has(brand)) return describeFormat("mov");
  if (M4A_BRANDS.has(brand)) return describeFormat("m4a");
  if (IMAGE_BRANDS.has(brand)) return { ok: false, reason: "unsupported_type", detected: brand.trim() === "avif" ? "avif" : "heif" };
  if (VIDEO_BRANDS.has(brand) || brand.startsWith("3g")) return brand.startsWith("3g") ? { ok: false, reason: "unsupported_type", detected: "3gp" } : describeFormat("mp4");
  return { ok: false, reason: "unsupported_type", detected: `iso-bmff brand '${brand.trim()}'` };
}

function sniffMp3(b: Uint8Array): boolean {
  if (startsWith(b, [0x49, 0x44, 0x33]) && b.length >= 10) {
    // ID3v2 header: version < 0xff and a syncsafe size (top bit of each size byte clear).
    return b[3]! < 0xff && b[4]! < 0xff && [6, 7, 8, 9].every((i) => (b[i]! & 0x80) === 0);
  }
  if (b.length < 4 || b[0] !== 0xff) return false;
  const b1 = b[1]!;
  const b2 = b[2]!;
  // 11 sync bits, MPEG version not "reserved", layer III; bitrate index not free/bad, sample rate not reserved.
  const sync = (b1 & 0xe0) === 0xe0;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  return sync && version !== 1 && layer === 1 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

function sniffOgg(b: Uint8Array): Sniffed | SniffRefused {
  // The first page's first packet names the codec.
  if (indexOfAscii(b, "OpusHead", 128) >= 0 || indexOfAscii(b, "\x01vorbis", 128) >= 0 || indexOfAscii(b, "\x7fFLAC", 128) >= 0) {
    return describeFormat("ogg");
  }
  if (indexOfAscii(b, "theora", 128) >= 0) return { ok: false, reason: "unsupported_type", detected: "ogg-theora" };
  return { ok: false, reason: "unsupported_type", detected: "ogg (unknown codec)" };
}

// Recognised formats that are not on the allow-list, so the error can name them.
const REFUSED: Array<[readonly number[], string, number?]> = [
  [[0x47, 0x49, 0x46, 0x38], "gif"],
  [[0x42, 0x4d], "bmp"],
  [[0x49, 0x49, 0x2a, 0x00], "tiff"],
  [[0x4d, 0x4d, 0x00, 0x2a], "tiff"],
  [[0x25, 0x50, 0x44, 0x46], "pdf"],
  [[0x50, 0x4b, 0x03, 0x04], "zip"],
  [[0x1f, 0x8b], "gzip"],
  [[0x7f, 0x45, 0x4c, 0x46], "elf"],
  [[0x4d, 0x5a], "windows executable"],
  [[0x00, 0x00, 0x01, 0x00], "ico"],
  [[0xff, 0x0a], "jpeg-xl"],
  [[0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20], "jpeg-xl"],
];

/** Sniffs the leading bytes of a file against the allow-list (PNG, JPEG, WebP, MP4, WebM, MOV, WAV, MP3, OGG, FLAC, M4A). */
export function sniffMedia(head: Uint8Array): Sniffed | SniffRefused {
  if (head.length === 0) return { ok: false, reason: "empty" };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return describeFormat("png");
  if (startsWith(head, [0xff, 0xd8, 0xff])) return describeFormat("jpeg");
  if (ascii(head, 0, 4) === "RIFF") {
    const form = ascii(head, 8, 4);
    if (form === "WEBP") return describeFormat("webp");
    if (form === "WAVE") return describeFormat("wav");
    return { ok: false, reason: "unsupported_type", detected: `riff '${form.trim()}'` };
  }
  if (ascii(head, 0, 4) === "RF64" && ascii(head, 8, 4) === "WAVE") return describeFormat("wav");
  const iso = sniffIsoBmff(head);
  if (iso) return iso;
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    // EBML: the DocType element says webm or matroska.
    if (indexOfAscii(head, "webm", 64) >= 0) return describeFormat("webm");
    return { ok: false, reason: "unsupported_type", detected: "matroska" };
  }
  if (ascii(head, 0, 4) === "fLaC") return describeFormat("flac");
  if (ascii(head, 0, 4) === "OggS") return sniffOgg(head);
  if (sniffMp3(head)) return describeFormat("mp3");
  for (const [sig, name] of REFUSED) if (startsWith(head, sig)) return { ok: false, reason: "unsupported_type", detected: name };
  if (looksLikeMarkup(head)) return { ok: false, reason: "unsupported_type", detected: "html/xml/svg text" };
  return { ok: false, reason: "unsupported_type" };
}

function looksLikeMarkup(head: Uint8Array): boolean {
  let i = 0;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return head[i] === 0x3c; // '<'
}
