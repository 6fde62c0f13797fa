import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { loadSources } from '../../src/pipeline/sources.ts';
import { startDesk } from '../../src/review/web/server.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { cli, cliSpawn, DEMO_SOURCES } from '../helpers/cli.ts';

/**
 * Reviewers work while the weekly job runs: a real sync in another process and the real desk
 * approving one change after another on the same ledger file must both succeed, and every
 * approval the desk confirmed must still be there, published, after the sync.
 */
it('a sync in another process and the desk approving at the same time both succeed, and no approval is lost', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ml-desk-sync-')), 'ledger.sqlite');
  expect((await cli(['--db', db, 'sync', '--offline', '--quiet'])).code).toBe(0);

  const ledger = new Ledger(db);
  const desk = await startDesk({ ledger, sources: loadSources(DEMO_SOURCES), reviewer: 'desk', port: 0 });
  try {
    const csrf = (await (await fetch(desk.url)).text()).match(/name="csrf" value="([0-9a-f]+)"/)![1];
    const runs = () => ledger.db.prepare('SELECT id, finished_at FROM sync_runs ORDER BY id').all() as { id: number; finished_at: string | null }[];
    const before = runs().length;
    const runOpen = () => runs().length > before && runs()[before].finished_at === null;
    const pendingIds = () => ledger.db.prepare(`SELECT id FROM changes WHERE status = 'pending' ORDER BY id`).all() as { id: number }[];

    // --full: a re-sync that finds nothing changed skips reconcile and diff, and would be over before the desk could act.
    const sync = cliSpawn(['--db', db, 'sync', '--offline', '--full', '--quiet']);
    let exited = false;
    void sync.done.finally(() => (exited = true));
    // Approve from the moment the sync has opened its run until it exits.
    while (!exited && runs().length === before) await sleep(1);

    const approved: number[] = [];
    const refused: { id: number; status: number; body: string }[] = [];
    let whileSyncing = 0;
    const tried = new Set<number>();
    while (!exited) {
      // Ids only: listing the changes themselves decodes every pending change's evidence (seconds
      // for the demo's queue), which let a fast sync finish before the first approval was sent.
      const next = pendingIds().find((c) => !tried.has(c.id));
      if (!next) break;
      tried.add(next.id);
      const open = runOpen();
      const res = await fetch(new URL(`/changes/${next.id}/decide`, desk.url), {
        method: 'POST',
        body: new URLSearchParams({ csrf, action: 'approve', note: 'while the weekly job runs' }),
        headers: { Accept: 'application/json' },
      });
      const body = await res.text();
      if (res.status === 200) approved.push(next.id);
      else refused.push({ id: next.id, status: res.status, body });
      if (open) whileSyncing++;
    }

    const run = await sync.done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(refused).toEqual([]);
    // The two really overlapped: the desk was asked to approve while the sync's run was open.
    expect(whileSyncing).toBeGreaterThan(0);
    expect(runs()[before].finished_at).not.toBeNull();

    const published = new Set(ledger.history.list().map((p) => p.change_id));
    for (const id of approved) {
      expect(ledger.changes.get(id)!.status).toBe('approved');
      expect(published.has(id)).toBe(true);
    }
    const audited = ledger.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'approve' AND actor = 'desk'`).get() as { n: number };
    expect(audited.n).toBe(approved.length);
  } finally {
    await desk.close();
    ledger.close();
  }
});

/** Another process's writer, here a thread, holding the ledger's write lock until told to commit. */
function holdWriteLock(path: string): Worker {
  return new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const db = new (require('better-sqlite3'))(workerData);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     parentPort.once('message', () => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); });`,
    { eval: true, workerData: path },
  );
}

it('the desk waits while another writer holds the ledger, keeps serving pages meanwhile, and decides once it is free', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ml-desk-wait-')), 'ledger.sqlite');
  expect((await cli(['--db', db, 'sync', '--offline', '--quiet'])).code).toBe(0);
  const ledger = new Ledger(db);
  const desk = await startDesk({ ledger, sources: loadSources(DEMO_SOURCES), reviewer: 'desk', port: 0 });
  const writer = holdWriteLock(db);
  const locked = once(writer, 'message');
  try {
    const csrf = (await (await fetch(desk.url)).text()).match(/name="csrf" value="([0-9a-f]+)"/)![1];
    const id = ledger.changes.list({ status: 'pending' })[0].id;
    expect((await locked)[0]).toBe('locked');

    const events: string[] = [];
    const decided = fetch(new URL(`/changes/${id}/decide`, desk.url), {
      method: 'POST',
      body: new URLSearchParams({ csrf, action: 'approve' }),
      headers: { Accept: 'application/json' },
    }).then(async (res) => events.push(`decided ${res.status} ${(await res.json()).change?.status}`));
    const page = await fetch(new URL('/?kind=added', desk.url));
    events.push(`page ${page.status}`);
    const released = once(writer, 'message').then(([m]) => events.push(m));
    writer.postMessage('commit');
    await Promise.all([released, decided]);

    expect(events).toEqual(['page 200', 'released', 'decided 200 approved']);
    expect(ledger.history.list().some((p) => p.change_id === id)).toBe(true);
  } finally {
    await writer.terminate();
    await desk.close();
    ledger.close();
  }
});
