import { z } from 'zod';
import type { HostResolver } from './address-guard.ts';
import type { RobotsCache } from './robots.ts';
import type { FetchOutcome } from './types.ts';
import { LedgerError } from '../errors.ts';

export interface ProgressEvent {
  done: number;
  total: number;
  failed: number;
  outcome: FetchOutcome;
}

/** The largest page a fetch reads (and a saved page a command takes): 10 MB, five times the largest listing dump. */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;

const ms = (fallback: number) => z.number().int().min(0).default(fallback);
const count = (fallback: number) => z.number().int().min(1).default(fallback);

/**
 * The fetcher's knobs, validated once at the boundary so a typo (a negative delay, a string
 * where a number belongs) fails loudly at start-up instead of quietly making the job impolite.
 */
export const FetcherOptionsSchema = z
  .object({
    userAgent: z
      .string()
      .regex(/^[A-Za-z0-9._-]+\/\S+/, 'userAgent must start with a product token such as "model-ledger/0.1"')
      .refine((ua) => /https?:\/\/|@/.test(ua), 'userAgent must name a contact URL (or e-mail) so site owners can reach us')
      .default('model-ledger/0.1 (+https://github.com/model-ledger/model-ledger)'),
    globalConcurrency: count(8),
    perHostConcurrency: count(2),
    perHostDelayMs: ms(1000),
    connectTimeoutMs: ms(10_000),
    headersTimeoutMs: ms(30_000),
    bodyTimeoutMs: ms(30_000),
    /** Whole-exchange deadline: the body timeout only catches idle gaps, not a trickle. */
    requestTimeoutMs: ms(120_000),
    /** One source's time across all its attempts, retries, redirects and waits, from its first request on. */
    sourceDeadlineMs: count(300_000),
    /** The whole fetch of a sync: what is not done by then fails with a 'deadline' error and keeps its last good facts. */
    syncDeadlineMs: count(30 * 60_000),
    /**
     * Fetch from loopback, private, link-local and other non-public addresses (a test server, an
     * intranet). Off by default: every hop's host is resolved and refused if it is not public.
     */
    allowPrivateNetwork: z.boolean().default(false),
    /** How host names are resolved, for the check and the connection alike (default: the system resolver). */
    lookup: z
      .custom<HostResolver>((v) => typeof v === 'function', 'lookup must be a function (hostname) => Promise<{address, family}[]>')
      .optional(),
    maxRetries: z.number().int().min(0).max(10).default(3),
    retryBaseMs: ms(500),
    maxRetryAfterMs: ms(60_000),
    maxRedirects: z.number().int().min(0).max(30).default(5),
    maxBodyBytes: count(MAX_PAGE_BYTES),
    /** Chromium for `render: browser` sources; falls back to $CHROMIUM_PATH, then /usr/bin/chromium. */
    chromiumPath: z.string().optional(),
    browserTimeoutMs: ms(30_000),
    /** robots.txt texts kept between syncs; without one, each sync reads every origin's afresh. */
    robotsCache: z
      .custom<RobotsCache>(
        (v) => typeof v === 'object' && v !== null && typeof (v as RobotsCache).get === 'function' && typeof (v as RobotsCache).put === 'function',
        'robotsCache must have get(origin) and put(origin, text, fetchedAt)',
      )
      .optional(),
    onProgress: z
      .custom<(event: ProgressEvent) => void>((v) => typeof v === 'function', 'onProgress must be a function')
      .optional(),
  })
  .strict();

export type FetcherOptions = z.output<typeof FetcherOptionsSchema>;
export type FetcherOptionsInput = z.input<typeof FetcherOptionsSchema>;

export function parseFetcherOptions(options: Partial<FetcherOptionsInput> = {}): FetcherOptions {
  const parsed = FetcherOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw LedgerError.fromZod('usage', 'invalid fetcher options', parsed.error);
  }
  return parsed.data;
}
