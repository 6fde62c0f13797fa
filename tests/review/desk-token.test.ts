/**
 * The desk's token: a malformed cookie is refused, never a 500; the check compares sha256 digests
 * in constant time, so it gives away no length; a short token is refused when the desk starts.
 */
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MIN_TOKEN_LENGTH, startDesk, type Desk } from '../../src/review/web/server.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { LedgerError } from '../../src/errors.ts';
import { reviewLedger, SOURCES } from './helpers.ts';
import { cli } from '../helpers/cli.ts';

/** Every pair of buffers the desk hands to crypto.timingSafeEqual. */
const compared = vi.hoisted(() => [] as Array<[number, number]>);
vi.mock('node:crypto', async (original) => {
  const real = await original<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.push([a.byteLength, b.byteLength]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const TOKEN = 'a-desk-token-of-32-characters-xx';
let ledger: Ledger;
let desk: Desk;
const stderr = vi.spyOn(process.stderr, 'write');

beforeAll(async () => {
  ledger = await reviewLedger();
  desk = await startDesk({ ledger, sources: SOURCES, reviewer: 'x', port: 0, token: TOKEN });
});
afterAll(async () => {
  await desk.close();
  ledger.close();
});
afterEach(() => {
  compared.length = 0;
  stderr.mockClear();
});

/** A raw request, so that neither the path nor the Cookie header is cleaned up on the way. */
function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(desk.url), { path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the desk token', () => {
  it('refuses a malformed cookie or request target with 401/400, never a 500 or a stack trace', async () => {
    for (const cookie of ['desk_token=%E0%A4%A', 'desk_token=%', 'desk_token=%ZZ; other=1', `desk_token=${encodeURIComponent(TOKEN)}%`]) {
      const res = await raw('/', { Cookie: cookie });
      expect(res.status, cookie).toBe(401);
      expect(res.body).not.toMatch(/Error|\n\s+at /);
    }
    const target = await raw('//', { Cookie: `desk_token=${encodeURIComponent(TOKEN)}` });
    expect(target.status).toBe(400);
    expect(target.body).not.toMatch(/Error|\n\s+at /);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).not.toMatch(/review desk:/);
    // The good cookie still opens the desk.
    expect((await raw('/', { Cookie: `desk_token=${encodeURIComponent(TOKEN)}` })).status).toBe(200);
  });

  it('compares sha256 digests in constant time whatever the length given, so the length does not leak', async () => {
    for (const given of ['x', 'wrong', TOKEN.slice(0, -1), TOKEN + 'x', 'y'.repeat(500), TOKEN]) {
      compared.length = 0;
      const res = await raw('/', { Cookie: `desk_token=${encodeURIComponent(given)}` });
      expect(res.status, given).toBe(given === TOKEN ? 200 : 401);
      // One comparison per request, of two 32-byte digests: never skipped for a length mismatch.
      expect(compared, given).toEqual([[32, 32]]);
    }
    compared.length = 0;
    expect((await raw(`/?token=${'z'.repeat(3)}`)).status).toBe(401);
    expect(compared).toEqual([[32, 32]]);
  });

  it(`refuses a token shorter than ${MIN_TOKEN_LENGTH} characters when the desk starts`, async () => {
    for (const token of ['', 'short', 'x'.repeat(MIN_TOKEN_LENGTH - 1)]) {
      const started = startDesk({ ledger, sources: SOURCES, reviewer: 'x', port: 0, token });
      await expect(started, JSON.stringify(token)).rejects.toBeInstanceOf(LedgerError);
      await expect(started).rejects.toMatchObject({ kind: 'usage', message: expect.stringMatching(/at least 16 characters/) });
    }
    const ok = await startDesk({ ledger, sources: SOURCES, reviewer: 'x', port: 0, token: 'x'.repeat(MIN_TOKEN_LENGTH) });
    await ok.close();
  });

  it('review --web --token short exits 64 with one line', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ml-desk-token-')), 'l.sqlite');
    new Ledger(db).close(); // the ledger the desk serves
    const run = await cli(['--db', db, 'review', '--web', '--port', '0', '--token', 'short']);
    expect(run.code).toBe(64);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/token must be at least 16 characters/)]);
  }, 15_000);

  it('refuses a desk beyond this machine without a token (64), and an address or port it cannot bind as bad input (65)', async () => {
    await expect(startDesk({ ledger, sources: SOURCES, reviewer: 'x', port: 0, host: '0.0.0.0' })).rejects.toMatchObject({ kind: 'usage', message: expect.stringMatching(/pass --token/) });
    // 192.0.2.1 (TEST-NET-1) is no address of this machine.
    await expect(startDesk({ ledger, sources: SOURCES, reviewer: 'x', port: 0, host: '192.0.2.1', token: TOKEN })).rejects.toMatchObject({ kind: 'input', message: expect.stringMatching(/192\.0\.2\.1 is not an address of this machine/) });
    const first = await startDesk({ ledger, sources: SOURCES, reviewer: 'x', port: 0 });
    const port = Number(new URL(first.url).port);
    await expect(startDesk({ ledger, sources: SOURCES, reviewer: 'x', port })).rejects.toMatchObject({ kind: 'input', message: expect.stringMatching(/port \d+ on 127\.0\.0\.1 is in use/) });
    await first.close();
  });
});
