/**
 * A command loads what it uses: the extractors' parsers, the fetcher and the YAML and JSON Schema
 * libraries are imported by the commands that need them, so a reviewer's `explain` or `history`
 * starts in about half the time. Checked on the real binary in a child process, whose loader
 * reports every package module it loads (ESM through a loader hook, CommonJS from require's cache).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { cliProcess, DEMO_SNAPSHOTS, DEMO_SOURCES } from '../helpers/cli.ts';

const HOOK = `
let port;
export async function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`;

/** Registers HOOK and, as the process exits, writes every module file loaded (ESM and CommonJS) to MODULE_REPORT. */
const PROBE = `
import { register, createRequire } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const { port1, port2 } = new MessageChannel();
const loaded = new Set();
port1.on('message', (url) => loaded.add(url.startsWith('file:') ? fileURLToPath(url) : url));
port1.unref();
register(new URL('./hook.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => {
  for (const file of Object.keys(createRequire(import.meta.url).cache)) loaded.add(file);
  writeFileSync(process.env.MODULE_REPORT, JSON.stringify([...loaded]));
});
`;

/** The packages that only extraction, fetching, YAML editing and exporting need. */
const HEAVY = ['htmlparser2', 'unified', 'remark-parse', 'undici', 'yaml', 'zod-to-json-schema', 'better-sqlite3'];

let dir: string;
let db: string;

/** The packages among HEAVY whose files the binary loaded running `args`. */
function heavyLoaded(args: string[]): string[] {
  const report = join(dir, `modules-${args[0]}.json`);
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'probe.mjs')).href, join(PACKAGE_ROOT, 'bin', 'model-ledger.js'), '--db', db, '--sources', DEMO_SOURCES, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MODULE_REPORT: report },
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const files = JSON.parse(readFileSync(report, 'utf8')) as string[];
  return HEAVY.filter((name) => files.some((file) => file.includes(`/node_modules/${name}/`)));
}

describe('what a command loads', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-lazy-'));
    db = join(dir, 'ledger.sqlite');
    writeFileSync(join(dir, 'hook.mjs'), HOOK);
    writeFileSync(join(dir, 'probe.mjs'), PROBE);
    // By the binary, as the commands below run: the registry it parses is kept for code of the same build.
    const synced = cliProcess(['--db', db, '--sources', DEMO_SOURCES, '--snapshots', DEMO_SNAPSHOTS, 'sync', '--offline', '--quiet']);
    expect(synced.code, synced.stderr).toBe(0);
  });

  it('reads the ledger for a reviewer without the parsers, the fetcher, yaml or the schema converter', () => {
    expect(heavyLoaded(['explain', 'GPT-5.2 Codex'])).toEqual(['better-sqlite3']);
    expect(heavyLoaded(['history', 'openai/gpt-5.2'])).toEqual(['better-sqlite3']);
  });

  it('loads the parsers for the command that extracts, and the converter for the one that exports', () => {
    // The probe sees what it should: without these, an empty list above would prove nothing.
    const page = join(dir, 'page.md');
    writeFileSync(page, '| Model | Input | Output |\n|---|---|---|\n| GPT-4.1 | $2.00 | $8.00 |\n\nPrices per 1M tokens.\n');
    const extracting = heavyLoaded(['extract', page]);
    expect(extracting).toEqual(expect.arrayContaining(['htmlparser2', 'unified', 'remark-parse']));
    // Not the ledger, nor the fetcher: extracting a file touches neither.
    expect(extracting).not.toContain('better-sqlite3');
    expect(extracting).not.toContain('undici');
    expect(heavyLoaded(['export', '--out', join(dir, 'out')])).toContain('zod-to-json-schema');
  });
});
