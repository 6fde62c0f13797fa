import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type Desk } from '../../src/review/web/server.ts';
import { Journal } from '../../src/store/journal.ts';
import type { Ledger } from '../../src/store/ledger.ts';
import { reviewLedger, SOURCES } from './helpers.ts';

const NOW = '2026-07-22T12:00:00.000Z';
let ledger: Ledger;
let desk: Desk;
const journalFile = join(mkdtempSync(join(tmpdir(), 'ml-desk-bulk-')), 'decisions.ndjson');

beforeAll(async () => {
  ledger = await reviewLedger();
  desk = await startDesk({ ledger, sources: SOURCES, reviewer: 'desk-tester', port: 0, now: () => NOW, journal: new Journal(journalFile) });
});
afterAll(async () => {
  await desk.close();
  ledger.close();
});

const get = (path: string) => fetch(new URL(path, desk.url), { redirect: 'manual' });
const post = (form: Record<string, string>) => fetch(new URL('/bulk', desk.url), { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });

describe('the desk triages the queue and decides in bulk after a preview', () => {
  it('shows the count per triage group, the groups that need a human first', async () => {
    const page = await (await get('/')).text();
    const counts = [...page.matchAll(/<a class="group ([a-z-]+)[^"]*" href="[^"]*">[^<]+ <b>(\d+)<\/b><\/a>/g)].map((m) => [m[1], Number(m[2])]);
    expect(counts.map(([g]) => g)).toEqual(['disputed', 'large-move', 'removal', 'new-model', 'routine']);
    expect(counts.reduce((n, [, c]) => n + (c as number), 0)).toBe(ledger.changes.list({ status: 'pending' }).length);
    const order = [...page.matchAll(/<span class="group ([a-z-]+)">/g)].map((m) => m[1]);
    const rank = ['disputed', 'large-move', 'removal', 'new-model', 'routine'];
    expect(order.map((g) => rank.indexOf(g))).toEqual([...order.map((g) => rank.indexOf(g))].sort((a, b) => a - b));
  });

  it('previews exactly the changes a group and filter select, then approves exactly those, journalled', async () => {
    const pendingBefore = ledger.changes.list({ status: 'pending' });
    const approvedBefore = new Set(ledger.changes.list({ status: 'approved' }).map((c) => c.id));
    const target = pendingBefore[0];
    const preview = await (await get(`/bulk?model=${encodeURIComponent(target.model)}`)).text();
    const ids = preview.match(/name="ids" value="([0-9,]*)"/)![1].split(',').map(Number);
    expect(ids.sort((a, b) => a - b)).toEqual(pendingBefore.filter((c) => c.model === target.model).map((c) => c.id));
    const rows = [...preview.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(rows.sort((a, b) => a - b)).toEqual(ids);

    const csrf = preview.match(/name="csrf" value="([0-9a-f]+)"/)![1];
    expect((await post({ csrf: 'nope', ids: ids.join(','), action: 'approve' })).status).toBe(403);
    expect(ledger.changes.list({ status: 'pending' })).toHaveLength(pendingBefore.length);

    const done = await post({ csrf, ids: ids.join(','), action: 'approve', note: 'bulk', back: '/' });
    expect(done.status).toBe(303);
    expect(new URL(done.headers.get('location')!, desk.url).searchParams.get('done')).toBe(`${ids.length} changes approved`);
    expect(ledger.changes.list({ status: 'approved' }).map((c) => c.id).filter((id) => !approvedBefore.has(id))).toEqual(ids);
    expect(ledger.changes.list({ status: 'pending' })).toHaveLength(pendingBefore.length - ids.length);
    const lines = readFileSync(journalFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.by, l.action, l.model])).toEqual(ids.map(() => ['desk-tester', 'approve', target.model]));

    // The same preview again: those ids are decided now, so the whole batch is refused.
    const again = await post({ csrf, ids: ids.join(','), action: 'reject', note: 'late' });
    expect(again.status).toBe(400);
  });

  it("takes a bulk form naming a first import's worth of ids, and still bounds a form", async () => {
    const preview = await (await get('/bulk')).text();
    const csrf = preview.match(/name="csrf" value="([0-9a-f]+)"/)![1];
    // 100,000 ids, ~0.9 MB as a browser encodes them: read whole and refused only for naming changes the ledger lacks.
    const many = Array.from({ length: 100_000 }, (_, i) => String(9_000_000 + i)).join(',');
    const read = await post({ csrf, ids: many, action: 'reject', note: 'x' });
    expect(read.status).toBe(400);
    expect(await read.text()).toMatch(/no change with id 9000000/);
    const huge = await post({ csrf, ids: many.repeat(5), action: 'reject', note: 'x' });
    expect(huge.status).toBe(400);
    expect(await huge.text()).toMatch(/form too large/);
    expect(ledger.changes.list({ status: 'rejected' })).toHaveLength(0);
  });
});
