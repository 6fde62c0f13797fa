import type { SourceFormat } from '../schema/source.ts';

/** The lower-case `type/subtype` of a Content-Type header, or null when absent. */
export function mediaType(contentType: string | null): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

export function charsetParam(contentType: string | null): string | null {
  const match = contentType?.match(/;\s*charset\s*=\s*"?([^";\s]+)"?/i);
  return match ? match[1].toLowerCase() : null;
}

/** Whether a media type (mediaType's) is an HTML document. */
export const isHtmlType = (type: string): boolean => type === 'text/html' || type === 'application/xhtml+xml';

const ACCEPTED: Record<SourceFormat, (type: string) => boolean> = {
  html: isHtmlType,
  // Raw file hosts serve markdown and JSON as text/plain.
  markdown: (t) => t === 'text/markdown' || t === 'text/x-markdown' || t === 'text/plain',
  json: (t) => t === 'application/json' || t === 'text/json' || t.endsWith('+json') || t === 'text/plain',
  text: (t) => t.startsWith('text/'),
};

export const ACCEPT_HEADER: Record<SourceFormat, string> = {
  html: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
  markdown: 'text/markdown,text/plain;q=0.9,*/*;q=0.1',
  json: 'application/json,*/*;q=0.1',
  text: 'text/plain,text/*;q=0.9,*/*;q=0.1',
};

/**
 * Why a response cannot be what the source expects, or null when it fits. A missing header is
 * given the benefit of the doubt; a JSON source must also parse, because an HTML error page
 * served with status 200 would otherwise become a snapshot.
 */
export function contentTypeProblem(contentType: string | null, format: SourceFormat, body: string): string | null {
  const type = mediaType(contentType);
  if (type && !ACCEPTED[format](type)) return `expected ${format} but the server sent ${type}`;
  if (format === 'json') {
    try {
      JSON.parse(body);
    } catch (error) {
      return `expected JSON but the body does not parse: ${(error as Error).message}`;
    }
  }
  return null;
}
