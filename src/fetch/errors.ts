export type FetchErrorClass =
  | 'timeout'
  | 'network'
  | 'http'
  | 'robots'
  | 'too-large'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'content-type'
  | 'browser-missing'
  | 'browser'
  /** A hop to a non-public address or a non-http(s) URL: refused before anything was sent. */
  | 'blocked'
  /** The source's or the sync's deadline passed; whatever was in flight was cut off. */
  | 'deadline';

/** A failure the fetcher understands: its class decides whether another attempt can help. */
export class FetchFailure extends Error {
  constructor(
    readonly errorClass: FetchErrorClass,
    message: string,
    readonly retryable = false,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  ETIMEDOUT: 'connection timed out',
};

/** Socket-level failures that a later attempt may not hit again. */
const NETWORK_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function errorCode(error: unknown): string | undefined {
  const err = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof err?.code === 'string') return err.code;
  if (typeof err?.cause?.code === 'string') return err.cause.code;
  return undefined;
}

/** Map whatever undici, zlib or an abort signal threw onto a FetchFailure. */
export function classifyError(error: unknown, url: string): FetchFailure {
  if (error instanceof FetchFailure) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code && code in TIMEOUT_CODES) {
    return new FetchFailure('timeout', `${TIMEOUT_CODES[code]} (${url})`, true);
  }
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ABORT_ERR') {
    return new FetchFailure('timeout', `request exceeded its total time limit (${url})`, true);
  }
  if (code && NETWORK_CODES.has(code)) {
    return new FetchFailure('network', `${code}: ${message} (${url})`, true);
  }
  if (code?.startsWith('Z_') || code === 'ERR__ERROR_FORMAT_PADDING_1') {
    return new FetchFailure('http', `could not decode the compressed body: ${message} (${url})`);
  }
  // An unknown error with a system code is probably transient; one without is probably a bug.
  return new FetchFailure('network', `${code ? `${code}: ` : ''}${message} (${url})`, code !== undefined);
}
