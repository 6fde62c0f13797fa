import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/pipeline/lock.ts';
import { LedgerError } from '../../src/errors.ts';
import { cli } from '../helpers/cli.ts';

describe('the ledger lock', () => {
  it('lets one holder in, refuses a second with its own exit code, and frees on release', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ml-lock-')), 'ledger.sqlite');
    const release = acquireLock(db);
    expect(() => acquireLock(db)).toThrow(LedgerError);
    const blocked = await cli(['--db', db, 'sync', '--offline']);
    expect(blocked.code).toBe(75);
    expect(blocked.stderr).toMatch(/another sync holds the ledger lock/);
    release();
    expect(existsSync(`${db}.lock`)).toBe(false);
    acquireLock(db)();
  });

  it('takes over a lock left by a process that no longer exists', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ml-lock-')), 'ledger.sqlite');
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, started_at: '2026-01-01T00:00:00Z' }));
    const release = acquireLock(db);
    expect(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).pid).toBe(process.pid);
    release();
  });
});

describe('sync --summary and --notify', () => {
  it('writes a Markdown summary and posts one webhook when changes await review', async () => {
    const received: any[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ml-weekly-'));
      const summaryFile = join(dir, 'summary.md');
      const run = await cli(['--db', join(dir, 'l.sqlite'), 'sync', '--offline', '--quiet', '--summary', summaryFile, '--notify', `http://127.0.0.1:${port}/hook`]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
      const md = readFileSync(summaryFile, 'utf8');
      expect(md).toMatch(/^# model-ledger sync/);
      expect(md).toMatch(/\| openrouter \| updated \|/);
      expect(md).toMatch(/## Pending review/);
      expect(md).toMatch(/openai\/gpt-5\.2-codex \| context_window \| added 400000/);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: 'POST', type: 'application/json', body: { event: 'model-ledger.changes-pending' } });
      expect(received[0].body.pending).toBeGreaterThan(0);

      // Nothing new pending after approval: no second notification.
      await cli(['--db', join(dir, 'l.sqlite'), 'approve', '--all']);
      await cli(['--db', join(dir, 'l.sqlite'), 'sync', '--offline', '--quiet', '--notify', `http://127.0.0.1:${port}/hook`]);
      expect(received).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('reports a failing webhook on stderr without failing the sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-weekly-'));
    const run = await cli(['--db', join(dir, 'l.sqlite'), 'sync', '--offline', '--quiet', '--notify', 'http://127.0.0.1:9/hook']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/webhook http:\/\/127\.0\.0\.1:9\/hook failed/);
  });
});

describe('weekly job guard rails', () => {
  it('refuses a webhook that is not an http(s) URL before syncing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-weekly-'));
    const run = await cli(['--db', join(dir, 'l.sqlite'), 'sync', '--offline', '--notify', 'not a url']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/--notify needs an http\(s\) URL/);
    expect(existsSync(join(dir, 'l.sqlite'))).toBe(false); // refused before the ledger is opened, so nothing was synced
  });

  it('says clearly when the sources directory is missing or empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-weekly-'));
    const missing = await cli(['--db', join(dir, 'l.sqlite'), '--sources', join(dir, 'nope'), 'sync', '--offline']);
    expect(missing.code).toBe(65);
    expect(missing.stderr).toMatch(/no sources directory/);
    const empty = await cli(['--db', join(dir, 'l.sqlite'), '--sources', dir, 'sync', '--offline']);
    expect(empty.code).toBe(65);
    expect(empty.stderr).toMatch(/no source files/);
  });

  it('takes over a lock file left unreadable long ago, but not a fresh one', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ml-lock-')), 'ledger.sqlite');
    writeFileSync(`${db}.lock`, '');
    expect(() => acquireLock(db)).toThrow(LedgerError);
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(`${db}.lock`, old, old);
    acquireLock(db)();
  });
});

describe('export directory', () => {
  it('removes outputs of formats not written this time, so one directory never mixes two exports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-export-dir-'));
    const db = join(dir, 'l.sqlite');
    await cli(['--db', db, 'sync', '--offline', '--quiet']);
    await cli(['--db', db, 'approve', '--all']);
    const out = join(dir, 'out');
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    await cli(['--db', db, 'export', '--out', out, '--format', 'all']);
    expect(existsSync(join(out, 'dataset.csv'))).toBe(true);
    expect(existsSync(join(out, 'llm-prices'))).toBe(true);
    writeFileSync(join(out, 'notes.md'), 'a reviewer note');
    await cli(['--db', db, 'export', '--out', out]);
    expect(existsSync(join(out, 'dataset.csv'))).toBe(false);
    expect(existsSync(join(out, 'llm-prices'))).toBe(false);
    expect(existsSync(join(out, 'dataset.json'))).toBe(true);
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toBe('a reviewer note');
  });

  it('makes the ledger\'s folder on a first sync, as npm start on a fresh clone needs', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ml-weekly-')), 'data', 'nested', 'ledger.sqlite');
    const run = await cli(['--db', db, 'sync', '--offline', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });
});
