import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LedgerError } from '../../src/errors.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { cli, DEMO_SNAPSHOTS, DEMO_SOURCES } from '../helpers/cli.ts';

const db = () => join(mkdtempSync(join(tmpdir(), 'ml-errors-')), 'l.sqlite');

/** One line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('the CLI error policy', () => {
  it('refuses bad option values as usage errors (64) in one line', async () => {
    for (const value of ['abc', '-5', '1.5', '']) {
      const run = await cli(['--db', db(), 'sync', '--per-host-delay', value]);
      expect(run.code, value).toBe(64);
      expect(oneLine(run.stderr)).toMatch(/--per-host-delay/);
    }
    const ua = await cli(['--db', db(), 'sync', '--user-agent', 'foo']);
    expect(ua.code).toBe(64);
    expect(oneLine(ua.stderr)).toMatch(/userAgent must start with a product token/);
    const format = await cli(['--db', db(), 'export', '--out', join(tmpdir(), 'never'), '--format', 'json,bogus']);
    expect(format.code).toBe(64);
    expect(oneLine(format.stderr)).toMatch(/unknown export format\(s\): bogus/);
    for (const value of ['abc', '0', '']) {
      const move = await cli(['--db', db(), 'changes', '--large-move', value]);
      expect(move.code, value).toBe(64);
      expect(oneLine(move.stderr)).toMatch(new RegExp(`--large-move.*'${value}'.*expected a positive percentage`));
    }
  });

  it('fails a source whose shipped capture no longer hashes to its name as a snapshot failure, keeping the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-errors-snapshot-'));
    const snapshots = join(dir, 'snapshots');
    (await import('node:fs')).cpSync(DEMO_SNAPSHOTS, snapshots, { recursive: true });
    const versus = join(snapshots, 'aggregator-versus');
    const file = join(versus, readdirSync(versus)[0]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('$1.75', '$0.00'));
    const run = await cli(['--db', join(dir, 'l.sqlite'), '--sources', DEMO_SOURCES, '--snapshots', snapshots, 'sync', '--offline', '--json']);
    expect(run.code).toBe(1);
    const reports = run.json().sources as Array<{ source_id: string; outcome: string; problems: string[] }>;
    expect(reports.find((r) => r.source_id === 'aggregator-versus')).toMatchObject({ outcome: 'failed', problems: [expect.stringMatching(/^snapshot: snapshot .* hashes to .*, manifest says/)] });
    expect(reports.filter((r) => r.outcome === 'updated').length).toBeGreaterThan(3);
  });

  it('fails an extract whose read drifted (an unknown extractor) with exit 1, saying why', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ml-errors-extract-')), 'page.md');
    writeFileSync(file, '| Model | Input |\n|---|---|\n| Nimbus | $1 |\n');
    const run = await cli(['extract', file, '--extractor', 'bogus']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/drift: unknown extractor "bogus"/);
  });

  it('calls a --db that is not a ledger bad input (65) in one line, and leaves what it names as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-errors-db-'));
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'not a ledger\n');
    for (const args of [['models'], ['sync', '--offline'], ['export', '--out', join(dir, 'out')]]) {
      const run = await cli(['--db', notes, ...args]);
      expect(run.code, args[0]).toBe(65);
      expect(oneLine(run.stderr)).toMatch(/notes\.txt is not a ledger: the file is not an SQLite database/);
    }
    expect(readFileSync(notes, 'utf8')).toBe('not a ledger\n');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    const directory = await cli(['--db', dir, 'models']);
    expect(directory.code).toBe(65);
    expect(oneLine(directory.stderr)).toMatch(/cannot open a ledger at .*: it is a directory/);
  });

  it('calls a file given for a directory, or a directory for a file, bad input (65) in one line, before anything is recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-errors-paths-'));
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x\n');
    const ledger = join(dir, 'l.sqlite');
    new Ledger(ledger).close(); // one a sync made
    const unjournalled = join(dir, 'never.sqlite');
    const cases: Array<[string[], RegExp]> = [
      [['--db', ledger, '--sources', file, 'sync', '--offline'], /file\.txt is not a directory of source files/],
      [['--db', ledger, '--aliases', dir, 'explain', 'openai/gpt-5.2'], /cannot read the alias registry .* \(--aliases FILE\): EISDIR/],
      [['--db', ledger, 'export', '--out', file], /file\.txt exists and is not a directory/],
      [['--db', unjournalled, '--journal', dir, 'sync', '--offline'], /cannot write the decisions journal .* \(--journal FILE\): .* is not a file/],
      [['--db', unjournalled, '--journal', join(file, 'decisions.ndjson'), 'sync', '--offline'], /cannot write the decisions journal .*file\.txt\/decisions\.ndjson .*file\.txt is not a directory/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(65);
      expect(oneLine(run.stderr)).toMatch(message);
    }
    // A sync whose journal cannot be written stops before it reads anything: not even its ledger is made.
    expect(existsSync(unjournalled)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('x\n');
  });

  it('refuses an empty --db (a temporary database would keep nothing) and reads an empty $MODEL_LEDGER_DB as unset', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ml-errors-empty-'));
    const bin = join(PACKAGE_ROOT, 'bin', 'model-ledger.js');
    const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    const empty = run(['--db', '', 'sync', '--offline', '--quiet']);
    expect(empty.status).toBe(64);
    expect(oneLine(empty.stderr)).toMatch(/--db is empty: give a path/);
    expect(readdirSync(cwd)).toEqual([]); // no journal, no lock, nothing synced anywhere
    const unset = run(['--sources', DEMO_SOURCES, '--snapshots', DEMO_SNAPSHOTS, 'sync', '--offline', '--quiet'], { MODEL_LEDGER_DB: '', MODEL_LEDGER_JOURNAL: '' });
    expect(unset.status, unset.stderr).toBe(0);
    expect(existsSync(join(cwd, 'data', 'ledger.sqlite'))).toBe(true); // the default ledger
  });

  it('refuses a ledger that does not exist for every command but the ones that make one, and creates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-errors-missing-'));
    const out = join(dir, 'published');
    mkdirSync(out);
    writeFileSync(join(out, 'dataset.json'), '{"published": true}\n');
    const typo = join(dir, 'ledgr.sqlite');
    for (const args of [['export', '--out', out], ['changes'], ['explain', 'openai/gpt-5.2'], ['models'], ['sources'], ['approve', '--all', '--reviewer', 'ana']]) {
      const run = await cli(['--db', typo, ...args]);
      expect(run.code, args[0]).toBe(65);
      expect(oneLine(run.stderr)).toMatch(/no ledger at .*ledgr\.sqlite: `model-ledger sync` makes one/);
    }
    expect(readdirSync(dir)).toEqual(['published']);
    expect(readFileSync(join(out, 'dataset.json'), 'utf8')).toBe('{"published": true}\n'); // the published dataset was not replaced by an empty one
    const synced = await cli(['--db', typo, '--sources', DEMO_SOURCES, '--snapshots', DEMO_SNAPSHOTS, 'sync', '--offline', '--quiet']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(existsSync(typo)).toBe(true);
  });

  it('checks where a run reports and exports before it records anything, and leaves no ledger it made when it fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-errors-outputs-'));
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x\n');
    const ledger = join(dir, 'l.sqlite');
    const journal = join(dir, 'decisions.ndjson');
    const demo = ['--db', ledger, '--journal', journal, '--sources', DEMO_SOURCES, '--snapshots', DEMO_SNAPSHOTS];
    // A summary that cannot be written fails the sync before it reads: no ledger, no journal line.
    for (const summary of [dir, join(file, 'summary.md')]) {
      const run = await cli([...demo, 'sync', '--offline', '--quiet', '--summary', summary]);
      expect(run.code, summary).toBe(65);
      expect(oneLine(run.stderr)).toMatch(/cannot write the summary .* \(--summary FILE\): .* is not a (file|directory)/);
    }
    expect(readdirSync(dir)).toEqual(['file.txt']);
    // A manifest that is not JSON is bad input, and the ledger the failed sync had opened is gone.
    const snapshots = join(dir, 'snapshots');
    mkdirSync(snapshots);
    writeFileSync(join(snapshots, 'manifest.json'), '[{');
    const broken = await cli(['--db', ledger, '--journal', journal, '--sources', DEMO_SOURCES, '--snapshots', snapshots, 'sync', '--offline', '--quiet']);
    expect(broken.code).toBe(65);
    expect(oneLine(broken.stderr)).toMatch(/manifest\.json: not JSON/);
    expect(existsSync(ledger)).toBe(false);
    // A summary under a directory not made yet is written there.
    const made = await cli([...demo, 'sync', '--offline', '--quiet', '--summary', join(dir, 'reports', 'sync.md')]);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(join(dir, 'reports', 'sync.md'), 'utf8')).toMatch(/\S/);
    // An export nowhere, or under a file, is refused in one line.
    const empty = await cli(['--db', ledger, 'export', '--out', '']);
    expect(empty.code).toBe(64);
    expect(oneLine(empty.stderr)).toMatch(/--out names the directory the export replaces, not an empty path/);
    const underFile = await cli(['--db', ledger, 'export', '--out', join(file, 'export')]);
    expect(underFile.code).toBe(65);
    expect(oneLine(underFile.stderr)).toMatch(/cannot write the export to .* \(--out DIR\): .*file\.txt is not a directory/);
    // A capture dated ahead of now would stay its source's newest: refused.
    const ahead = await cli([...demo, 'ingest', file, '--source', 'aggregator-versus', '--observed-at', '2099-01-01']);
    expect(ahead.code).toBe(65);
    expect(oneLine(ahead.stderr)).toMatch(/--observed-at 2099-01-01 is in the future/);
  });

  it('calls a directory given as a file bad input (65)', async () => {
    const run = await cli(['extract', tmpdir()]);
    expect(run.code).toBe(65);
    expect(oneLine(run.stderr)).toMatch(/not a file/);
    const missing = await cli(['extract', join(tmpdir(), 'no-such-file.md')]);
    expect(missing.code).toBe(65);
    expect(oneLine(missing.stderr)).toMatch(/no such file/);
  });

  it('refuses a source file whose URL is not http(s) as bad input (65), naming the file and the field', async () => {
    const sources = mkdtempSync(join(tmpdir(), 'ml-errors-src-'));
    for (const [file, url] of [['local.json', 'file:///etc/passwd'], ['script.json', 'javascript:alert(document.cookie)']]) {
      rmSync(join(sources, 'local.json'), { force: true });
      writeFileSync(join(sources, file), JSON.stringify({ id: 'page', name: 'A page', kind: 'first-party', url, format: 'html', extractor: 'pricing', trust: 0.9, render: 'browser' }));
      const run = await cli(['--db', db(), '--sources', sources, 'sync', '--offline']);
      expect(run.code, url).toBe(65);
      expect(oneLine(run.stderr)).toMatch(new RegExp(`${file.replace('.', '\\.')}: url: only http: and https: URLs are allowed`));
    }
  });

  it('ends quietly when its reader closes the pipe', () => {
    const ledger = db();
    const bin = join(PACKAGE_ROOT, 'bin', 'model-ledger.js');
    const synced = spawnSync(process.execPath, [bin, '--db', ledger, 'sync', '--offline', '--quiet'], { encoding: 'utf8' });
    expect(synced.status).toBe(0);
    // The queue's JSON is far larger than a pipe's buffer, so the writer meets a closed pipe.
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" --db "${ledger}" changes --json | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(piped.stderr.trim()).toBe('exit=0');
  });
});

describe('LedgerError', () => {
  it('carries the issues of a zod failure and the exit code of its kind', () => {
    const parsed = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    if (parsed.success) throw new Error('expected a failure');
    const error = LedgerError.fromZod('usage', 'invalid options', parsed.error);
    expect(error.issues).toEqual([{ path: ['a', 'b'], message: expect.stringMatching(/number/) }]);
    expect(error.message).toMatch(/^invalid options: a\.b: /);
    expect(error.exitCode).toBe(64);
    expect(new LedgerError('input', 'x').exitCode).toBe(65);
    expect(new LedgerError('locked', 'x').exitCode).toBe(75);
  });
});

describe('did you mean', () => {
  it('suggests the known model id or field closest to a typo', async () => {
    const ledger = db();
    expect((await cli(['--db', ledger, 'sync', '--offline', '--quiet'])).code).toBe(0);
    const model = await cli(['--db', ledger, 'explain', 'openai/gpt5.2-codex']);
    expect(model.code).toBe(65);
    expect(oneLine(model.stderr)).toMatch(/did you mean openai\/gpt-5\.2-codex/);
    expect(oneLine((await cli(['--db', ledger, 'explain', 'anthropic/claude-sonet-4.5'])).stderr)).toMatch(/did you mean anthropic\/claude-sonnet-4\.5/);
    expect(oneLine((await cli(['--db', ledger, 'explain', 'openai/gpt-5.2-codex', 'contextwindow'])).stderr)).toMatch(/did you mean context_window\?/);
  });
});

describe('figures in text output', () => {
  it('carry their units: prices per 1M tokens of their kind, limits in tokens', async () => {
    const ledger = db();
    expect((await cli(['--db', ledger, 'sync', '--offline', '--quiet'])).code).toBe(0);
    const price = (await cli(['--db', ledger, 'explain', 'openai/gpt-5.2-codex', 'input_price'])).stdout;
    expect(price).toMatch(/^openai\/gpt-5\.2-codex input_price = \$1\.75 \/ 1M input tokens {2}/m);
    const window = (await cli(['--db', ledger, 'explain', 'openai/gpt-5.2-codex', 'context_window'])).stdout;
    expect(window).toMatch(/context_window = \d+K tokens/);
    // --json keeps plain numbers.
    const facts = (await cli(['--db', ledger, 'explain', 'openai/gpt-5.2-codex', 'input_price', '--json'])).json();
    expect(facts.find((f: any) => f.condition === '')).toMatchObject({ value: 1.75 });
  });
});
