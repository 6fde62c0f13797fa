import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Desk } from '../../src/review/web/server.ts';
import type { Ledger } from '../../src/store/ledger.ts';
import { LedgerError } from '../../src/errors.ts';
import { reviewLedger, SOURCES } from './helpers.ts';

const XSS = '<img src=x onerror=alert(1)>';
const NOW = '2026-07-22T12:00:00.000Z';

let ledger: Ledger;
let desk: Desk;

beforeAll(async () => {
  ledger = await reviewLedger();
  desk = await startDesk({ ledger, sources: SOURCES, reviewer: 'desk-tester', port: 0, now: () => NOW });
});
afterAll(async () => {
  await desk.close();
  ledger.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, desk.url), { headers, redirect: 'manual' });
const csrfOf = (page: string) => page.match(/name="csrf" value="([0-9a-f]+)"/)![1];
const pendingId = (model: string, field: string) => ledger.changes.list({ status: 'pending' }).find((c) => c.model === model && c.field === field)!.id;

async function post(path: string, form: Record<string, string>, json = true): Promise<Response> {
  return fetch(new URL(path, desk.url), {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: json ? { Accept: 'application/json' } : {},
    redirect: 'manual',
  });
}

describe('the review desk queue', () => {
  it('shows scraped text as text, never as markup, under a CSP that forbids inline script', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await res.text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain(XSS);
    expect(page).not.toMatch(/<img\b/i);
  });

  it('shows old -> new, the price move in percent and the snapshot diff with the changed words marked', async () => {
    const page = await (await get('/?model=acme%2Fbeta')).text();
    expect(page).toMatch(/<span class="old">\$2<\/span> → <b class="new">\$2\.5<\/b> <span class="move up">\+25\.0%<\/span>/);
    expect(page).toMatch(/<span class="line removed">-\s+&quot;completion&quot;: &quot;0\.<mark>000002<\/mark>&quot;<\/span>/);
    expect(page).toMatch(/<span class="line added">\+\s+&quot;completion&quot;: &quot;0\.<mark>0000025<\/mark>&quot;<\/span>/);
    expect(page).toContain('href="https://openrouter.example/api/v1/models"');
    const snapshot = page.match(/href="\/snapshots\/([0-9a-f]{64})"/)![1];
    const served = await get(`/snapshots/${snapshot}`);
    expect(served.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(await served.text()).toBe(ledger.captures.snapshotBody(snapshot));
    expect((await get(`/snapshots/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('filters by kind, field, source and provider, and refuses an unknown field', async () => {
    const added = await (await get('/?kind=added')).text();
    const pending = ledger.changes.list({ status: 'pending' });
    const count = pending.filter((c) => c.kind === 'added').length;
    expect(count).toBeGreaterThan(0);
    expect(added).toContain(`${count} of ${pending.length} pending changes`);
    expect(added.match(/<article class="change"/g)).toHaveLength(count);
    const prices = await (await get('/?field=input_price&source=litellm')).text();
    expect(prices.match(/<article class="change"/g)).toHaveLength(1);
    expect(prices).toContain('<option value="litellm" selected>');
    expect((await get('/?provider=nobody')).status).toBe(200);
    expect((await get('/?field=price')).status).toBe(400);
  });

  it('refuses a request whose Host is not the desk (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/', desk.url), { headers: { Host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe('approving and rejecting on the desk', () => {
  it('needs the CSRF token and a POST', async () => {
    const id = pendingId('acme/gamma', 'input_price');
    expect((await post(`/changes/${id}/decide`, { action: 'approve' })).status).toBe(403);
    expect((await post(`/changes/${id}/decide`, { action: 'approve', csrf: 'f'.repeat(48) })).status).toBe(403);
    expect((await get(`/changes/${id}/decide`)).status).toBe(405);
    expect(ledger.changes.get(id)!.status).toBe('pending');
  });

  it('answers HEAD as GET, without a body, and decides nothing on it', async () => {
    const id = pendingId('acme/gamma', 'input_price');
    const head = await fetch(new URL('/', desk.url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/text\/html/);
    expect(await head.text()).toBe('');
    expect((await fetch(new URL(`/changes/${id}/decide`, desk.url), { method: 'HEAD' })).status).toBe(405);
    expect(ledger.changes.get(id)!.status).toBe('pending');
  });

  it('approves with a note and rejects only with a reason, recording the reviewer', async () => {
    const csrf = csrfOf(await (await get('/')).text());
    const approveId = pendingId('acme/gamma', 'input_price');
    const res = await post(`/changes/${approveId}/decide`, { action: 'approve', note: 'listed on the vendor page', csrf });
    expect(res.status).toBe(200);
    expect((await res.json()).change).toMatchObject({ id: approveId, status: 'approved', reviewer: 'desk-tester', note: 'listed on the vendor page' });
    expect(ledger.history.published().find((p) => p.model === 'acme/gamma' && p.field === 'input_price')).toMatchObject({ value: 0.1, change_id: approveId });

    const rejectId = pendingId('acme/gamma', 'output_price');
    const noReason = await post(`/changes/${rejectId}/decide`, { action: 'reject', note: ' ', csrf });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error).toMatch(/reason/);
    expect((await post(`/changes/${rejectId}/decide`, { action: 'reject', note: 'a typo upstream', csrf })).status).toBe(200);
    expect(ledger.changes.get(rejectId)).toMatchObject({ status: 'rejected', reviewer: 'desk-tester', note: 'a typo upstream', reviewed_at: NOW });
    expect(ledger.audit.log().at(-1)).toMatchObject({ actor: 'desk-tester', action: 'reject', at: NOW });

    const again = await post(`/changes/${rejectId}/decide`, { action: 'approve', csrf });
    expect(again.status).toBe(400);
    expect((await again.json()).error).toMatch(/not pending/);
  });

  it('works without JavaScript: a plain form POST redirects back to the queue, never off the desk', async () => {
    const csrf = csrfOf(await (await get('/')).text());
    const id = pendingId('acme/gamma', 'context_window');
    const res = await post(`/changes/${id}/decide`, { action: 'approve', csrf, back: '/?kind=added' }, false);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/\?kind=added&done=change\+%23\d+\+approved$/);
    const offsite = await post(`/changes/${pendingId('acme/gamma', 'vision')}/decide`, { action: 'approve', csrf, back: '//evil.example/' }, false);
    expect(offsite.headers.get('location')).toMatch(/^\/\?done=/);
  });
});

describe('the model page', () => {
  it('shows facts, disputed fields with each claim side by side, and a price step chart', async () => {
    const page = await (await get('/model?id=acme%2Falpha')).text();
    expect(page).toContain('<table class="facts">');
    const dispute = page.slice(page.indexOf('<h2>Disputed fields</h2>'));
    // LiteLLM's 200000 is an input limit (max_input_tokens), so it no longer disputes OpenRouter's
    // 128000 context window; the two still disagree on the input price.
    expect(dispute).toMatch(/<code>input_price<\/code>/);
    expect(dispute).toMatch(/class="claim-card for">[\s\S]*?<div class="value">3<\/div>/);
    expect(dispute).toMatch(/class="claim-card against">[\s\S]*?<div class="value">1.5<\/div>/);
    expect(page).toMatch(/<svg class="chart"[\s\S]*<path d="M[\d.]+ [\d.]+ H[\d.]+"/);
    expect(page).toContain('<title>input $/1M: $2 from 2026-07-17</title>');
    expect((await get('/model?id=nobody%2Fnothing')).status).toBe(404);
  });

  it('escapes a hostile model name on its own page', async () => {
    const page = await (await get('/model?id=acme%2Fimg-srcx-onerroralert1')).text();
    expect(page).toContain('<h1>acme/&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain(XSS);
  });
});

describe('desk access', () => {
  it('refuses a non-loopback bind without a token, before binding anything', async () => {
    await expect(startDesk({ ledger, sources: SOURCES, reviewer: 'x', host: '0.0.0.0', port: 0 })).rejects.toThrow(/--token/);
  });

  it('names a port already in use in one line the CLI can show, as a LedgerError', async () => {
    const port = Number(new URL(desk.url).port);
    const taken = startDesk({ ledger, sources: SOURCES, reviewer: 'x', port });
    await expect(taken).rejects.toBeInstanceOf(LedgerError);
    await expect(taken).rejects.toThrow(`port ${port} on 127.0.0.1 is in use; pick another with --port, or --port 0 for a free one`);
  });

  it('asks for the token, then keeps it in an HttpOnly cookie', async () => {
    const guarded = await startDesk({ ledger, sources: SOURCES, reviewer: 'x', port: 0, token: 's3cret-desk-token-16' });
    try {
      const at = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, guarded.url), { headers, redirect: 'manual' });
      expect((await at('/')).status).toBe(401);
      expect((await at('/?token=wrong')).status).toBe(401);
      const entry = await at('/?token=s3cret-desk-token-16&kind=added');
      expect(entry.status).toBe(303);
      expect(entry.headers.get('location')).toBe('/?kind=added');
      const cookie = entry.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect((await at('/', { Cookie: cookie.split(';')[0] })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
