import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { request, type Dispatcher } from 'undici';
import type { AbortLike } from './cutoff.ts';
import { classifyError, FetchFailure } from './errors.ts';

export interface ExchangeLimits {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  requestTimeoutMs: number;
  maxBodyBytes: number;
}

/** One HTTP response as the fetcher needs it; `body` is null unless the status was 2xx. */
export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
  wireBytes: number;
}

/** A repeated header's values joined into one; undici already gives every name in lower case. */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function decoderFor(encoding: string, url: string): Transform | null {
  switch (encoding) {
    case 'identity':
    case '':
      return null;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new FetchFailure('http', `unsupported content-encoding "${encoding}" (${url})`);
  }
}

function tooLarge(url: string, limit: number, what: string): FetchFailure {
  return new FetchFailure('too-large', `${what} exceeds the ${limit}-byte limit; cut off (${url})`);
}

/** The common case, without stream plumbing: chunks counted and kept until the cap. */
async function readPlainBody(
  body: Dispatcher.ResponseData['body'],
  url: string,
  limits: ExchangeLimits,
): Promise<{ bytes: Buffer; wireBytes: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limits.maxBodyBytes) {
      body.destroy();
      throw tooLarge(url, limits.maxBodyBytes, 'response body');
    }
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks, size), wireBytes: size };
}

/**
 * Stream the body through its content-encodings, stopping as soon as either the wire bytes or
 * the decoded bytes pass the cap: a small gzip that inflates to gigabytes is cut off, not buffered.
 */
async function readCappedBody(
  body: Dispatcher.ResponseData['body'],
  contentEncoding: string,
  url: string,
  limits: ExchangeLimits,
): Promise<{ bytes: Buffer; wireBytes: number }> {
  const decoders = contentEncoding
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .reverse()
    .map((e) => decoderFor(e, url))
    .filter((d): d is Transform => d !== null);
  if (decoders.length === 0) return readPlainBody(body, url, limits);
  let wireBytes = 0;
  const countWire = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBodyBytes) callback(tooLarge(url, limits.maxBodyBytes, 'response body'));
      else callback(null, chunk);
    },
  });
  const chunks: Buffer[] = [];
  let decodedBytes = 0;
  const collect = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      decodedBytes += chunk.length;
      if (decodedBytes > limits.maxBodyBytes) return callback(tooLarge(url, limits.maxBodyBytes, 'decoded body'));
      chunks.push(chunk);
      callback();
    },
  });
  await pipeline([body, countWire, ...decoders, collect]);
  return { bytes: Buffer.concat(chunks, decodedBytes), wireBytes };
}

/**
 * A single request (a GET unless a rendered page sends something else): no retries, no redirects followed; those are the caller's decisions.
 *
 * undici enforces the headers and idle-body timeouts itself (above a second its timers tick every
 * half second, which 30-second limits do not mind). The whole exchange's deadline is ours: it caps
 * the wait for headers too, and once they are in, one timer destroys a body still trickling in
 * when time is up. No AbortController per request: on a warm re-sync of a thousand 304s, that
 * and its timers were about half of what the fetcher added to a bare request.
 */
export async function httpGet(
  dispatcher: Dispatcher,
  url: string,
  headers: Record<string, string>,
  limits: ExchangeLimits,
  signal?: AbortLike,
  method = 'GET',
  requestBody?: Buffer,
): Promise<HttpResponse> {
  const started = performance.now();
  let status: number | null = null;
  let responseBody: Dispatcher.ResponseData['body'] | null = null;
  let deadline: NodeJS.Timeout | null = null;
  let expired: FetchFailure | null = null;
  try {
    signal?.throwIfAborted();
    const response = await request(url, {
      method: method as Dispatcher.HttpMethod,
      dispatcher,
      headers,
      body: requestBody,
      // The source's or the sync's deadline: aborting destroys the request and its connection.
      // undici takes any signal with addEventListener, not only an AbortSignal.
      signal: signal as AbortSignal | undefined,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      bodyTimeout: limits.bodyTimeoutMs,
    });
    status = response.statusCode;
    const responseHeaders = flattenHeaders(response.headers);
    const { body } = response;
    // Whoever reads the body gets its errors; this keeps one it emits once destroyed unread (an
    // encoding it cannot decode, a body too large) from being an uncaught error that ends the sync.
    body.on('error', () => undefined);
    responseBody = body;
    if (status < 200 || status >= 300) {
      // Drain a little so the connection can be reused; a bigger or stalled body just closes it.
      await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      return { url, status, headers: responseHeaders, body: null, wireBytes: 0 };
    }
    const declaredLength = Number(responseHeaders['content-length']);
    if (Number.isFinite(declaredLength) && declaredLength > limits.maxBodyBytes) {
      body.destroy();
      throw tooLarge(url, limits.maxBodyBytes, `declared content-length ${declaredLength}`);
    }
    deadline = setTimeout(
      () => {
        expired = new FetchFailure('timeout', `request not complete within ${limits.requestTimeoutMs} ms (${url})`, true);
        body.destroy(expired);
      },
      Math.max(0, limits.requestTimeoutMs - (performance.now() - started)),
    );
    const encoding = responseHeaders['content-encoding'] ?? '';
    const { bytes, wireBytes } = await readCappedBody(body, encoding, url, limits);
    return { url, status, headers: responseHeaders, body: bytes, wireBytes };
  } catch (error) {
    responseBody?.destroy(); // an unread body would otherwise hold its connection until a timeout
    const failure = signal?.aborted ? classifyError(signal.reason, url) : (expired ?? classifyError(error, url));
    throw new FetchFailure(failure.errorClass, failure.message, failure.retryable, status);
  } finally {
    if (deadline) clearTimeout(deadline);
  }
}
