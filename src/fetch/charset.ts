import { charsetParam } from './content-type.ts';
import type { SourceFormat } from '../schema/source.ts';

const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

function bomCharset(bytes: Uint8Array): string | null {
  for (const [bom, charset] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) return charset;
  }
  return null;
}

/** The HTML prescan, simplified: a charset declared in a <meta> within the first 1024 bytes. */
function metaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  for (const meta of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = meta.match(/\bcharset\s*=\s*["']?\s*([^"'\s/>;]+)/i);
    if (direct) return direct[1].toLowerCase();
  }
  return null;
}

/** windows-1252 bytes 0x80-0x9F; the five bytes it leaves undefined map to the same code point. */
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder('windows-1252') is really latin1 (0x80-0x9F come out as C1 control
 * characters, so "€" is lost), hence this fix-up. It is a no-op on a Node that decodes correctly.
 */
function decodeText(decoder: TextDecoder, bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  if (decoder.encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
}

function decoderFor(label: string | null, fatal = false): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return null; // an unknown label is ignored, as browsers do
  }
}

export interface DecodedBody {
  text: string;
  charset: string;
}

/**
 * Bytes to text the way a browser would pick the encoding: BOM, then the Content-Type charset,
 * then (HTML only) a <meta charset>; JSON is UTF-8 by RFC 8259. Undeclared bytes that are not
 * valid UTF-8 are read as windows-1252, the encoding such legacy pages almost always use.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null, format: SourceFormat): DecodedBody {
  const declared =
    decoderFor(bomCharset(bytes)) ??
    decoderFor(charsetParam(contentType)) ??
    (format === 'html' ? decoderFor(metaCharset(bytes)) : null);
  if (declared) return { text: decodeText(declared, bytes), charset: declared.encoding };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), charset: 'utf-8' };
  } catch (e) {
    // Only bytes that are not UTF-8 mean another charset; anything else (a text too long to hold) is no charset's.
    if ((e as NodeJS.ErrnoException).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw e;
    if (format === 'json') return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8' };
    return { text: decodeText(new TextDecoder('windows-1252'), bytes), charset: 'windows-1252' };
  }
}
