import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';
import { cli } from '../helpers/cli.ts';
import { FIXTURES } from './helpers.ts';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-cli-'));
  db = join(dir, 'ledger.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => cli(['--db', db, ...args]);
const ingest = (file: string, date: string) => run('ingest', join(FIXTURES, file), '--source', 'openrouter', '--observed-at', date, '--json');
const pending = async () => (await run('changes', '--json')).json() as Array<{ id: number; model: string; field: string; kind: string }>;

describe('batch review from the command line', () => {
  it('approves and rejects by source, model, field and kind, and refuses mixed or empty selections', async () => {
    await ingest('openrouter-2026-07-17.json', '2026-07-17');
    expect((await run('approve', '--source', 'openrouter', '--reviewer', 'ana', '--json')).code).toBe(0);
    await ingest('openrouter-2026-07-21.json', '2026-07-21');
    const queue = await pending();
    expect(queue.some((c) => c.kind === 'added') && queue.some((c) => c.kind === 'changed')).toBe(true);

    const added = await run('approve', '--kind', 'added', '--note', 'new model', '--reviewer', 'ana', '--json');
    expect(added.code).toBe(0);
    expect(added.json().map((c: any) => c.model)).toEqual(queue.filter((c) => c.kind === 'added').map((c) => c.model));
    expect(added.json().every((c: any) => c.status === 'approved' && c.note === 'new model')).toBe(true);

    const rejected = await run('reject', '--model', 'acme/beta', '--field', 'output_price', '--reason', 'rounding', '--reviewer', 'bo', '--json');
    expect(rejected.code).toBe(0);
    expect(rejected.json()).toEqual([expect.objectContaining({ model: 'acme/beta', field: 'output_price', status: 'rejected', reviewer: 'bo', note: 'rounding' })]);

    const left = await pending();
    expect(left.every((c) => c.kind === 'changed' && c.model !== 'acme/beta')).toBe(true);
    const mixed = await run('approve', String(left[0].id), '--kind', 'changed');
    expect(mixed.code).toBe(65);
    expect(mixed.stderr).toMatch(/not both/);
    const none = await run('approve', '--model', 'acme/beta');
    expect(none.code).toBe(65);
    expect(none.stderr).toMatch(/no pending changes match --model acme\/beta/);
    expect((await run('reject', '--kind', 'renamed', '--reason', 'x')).stderr).toMatch(/unknown change kind/);
    expect((await pending()).length).toBe(left.length);
  });

  it('decides a change named twice once, reads #ID as printed, and refuses ids that only look numeric', async () => {
    await ingest('openrouter-2026-07-17.json', '2026-07-17');
    const [first, second] = await pending();
    const twice = await run('approve', String(first.id), `#${first.id}`, '--reviewer', 'ana', '--json');
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.json().map((c: any) => c.id)).toEqual([first.id]);
    expect((await run('history', first.model, first.field, '--json')).json()).toHaveLength(1);
    const rejected = await run('reject', String(second.id), String(second.id), '--reason', 'dup', '--reviewer', 'ana', '--json');
    expect(rejected.json()).toHaveLength(1);
    for (const typo of [`0x${first.id.toString(16)}`, '1e1', '2.0', '']) {
      const bad = await run('approve', typo, '--reviewer', 'ana');
      expect(bad.code, typo).toBe(65);
      expect(bad.stderr).toMatch(/not a change id/);
    }
  });

  it('answers point-in-time history after backfilling an older capture', async () => {
    await ingest('openrouter-2026-07-21.json', '2026-07-21');
    await run('approve', '--all', '--json');
    const backfill = await ingest('openrouter-2026-07-17.json', '2026-07-17');
    expect(backfill.json().sources[0].outcome).toBe('backfilled');
    await run('approve', '--all', '--json');
    const at = async (date: string) => (await run('history', 'acme/alpha', 'input_price', '--at', date, '--json')).json().map((h: any) => h.value);
    expect(await at('2026-07-18')).toEqual([2]);
    expect(await at('2026-07-22')).toEqual([1.5]);
    const text = await run('history', 'acme/alpha', 'input_price');
    expect(text.stdout).toMatch(/= \$2 \/ 1M input tokens {2}from 2026-07-17 to 2026-07-21/);
    expect(text.stdout).toMatch(/= \$1\.5 \/ 1M input tokens {2}from 2026-07-21 to now/);
  });
});

describe('the review desk from the command line', () => {
  it('exits 65 with one line, not a stack trace, when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      new Ledger(db).close(); // the ledger the desk serves
      const taken = await run('review', '--web', '--port', String(port), '--reviewer', 'ana');
      expect(taken.code).toBe(65);
      expect(taken.stderr).toBe(`model-ledger: port ${port} on 127.0.0.1 is in use; pick another with --port, or --port 0 for a free one\n`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
