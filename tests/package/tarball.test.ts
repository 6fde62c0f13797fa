/**
 * The package as a user gets it: `npm pack`, the tarball installed in an empty directory, and
 * `npx model-ledger sync --offline` + `export` run there on the sources and snapshots it ships.
 *
 * The install is tried offline with npm first. Where npm's cache cannot supply the dependencies
 * (it cannot on a machine that never downloaded their packuments), the tarball is laid out as npm
 * would lay it out: unpacked into node_modules/model-ledger, its bin linked into node_modules/.bin,
 * and every dependency linked from this checkout's node_modules. Either way the commands run from
 * the tarball's own files, with none of this checkout's src/ in reach.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';

const work = mkdtempSync(join(tmpdir(), 'ml-tarball-'));
const app = join(work, 'app');
let tarball = '';

/** The environment of a user's shell: none of the test suite's demo-set overrides. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MODEL_LEDGER_') && !k.startsWith('VITEST'))) as NodeJS.ProcessEnv;
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: userEnv(), timeout: 240_000 });
}

function must(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** npm's layout of an installed tarball, built by hand from the checkout's dependencies. */
function layOut(): void {
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, 'model-ledger'), { recursive: true });
  mkdirSync(join(modules, '.bin'));
  must(run('tar', ['xzf', tarball, '-C', join(modules, 'model-ledger'), '--strip-components=1'], app), 'tar');
  for (const name of readdirSync(join(PACKAGE_ROOT, 'node_modules'))) {
    if (name !== '.bin' && name !== 'model-ledger' && !name.startsWith('.')) symlinkSync(join(PACKAGE_ROOT, 'node_modules', name), join(modules, name));
  }
  symlinkSync('../model-ledger/bin/model-ledger.js', join(modules, '.bin', 'model-ledger'));
}

const npx = (...args: string[]) => run('npx', ['--offline', 'model-ledger', ...args], app);

beforeAll(() => {
  // `npm test` builds dist/ first; a lone run of this file builds it if it is missing.
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'cli.js'))) must(run('npm', ['run', '-s', 'build'], PACKAGE_ROOT), 'npm run build');
  const packed = must(run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], PACKAGE_ROOT), 'npm pack');
  tarball = join(work, packed.trim().split('\n').at(-1)!);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const installed = run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], app);
  if (installed.status !== 0) {
    rmSync(join(app, 'node_modules'), { recursive: true, force: true });
    layOut();
  }
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('is publishable and holds the built CLI and what it reads, not the TypeScript sources', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    const files = must(run('tar', ['tzf', tarball], work), 'tar').split('\n');
    for (const f of ['package/bin/model-ledger.js', 'package/dist/cli.js', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/aliases.yaml', 'package/README.md', 'package/sources/openrouter.json', 'package/schemas/source.schema.json']) {
      expect(files).toContain(f);
    }
    expect(files.some((f) => f.startsWith('package/snapshots/openrouter/'))).toBe(true);
    expect(files.filter((f) => /^package\/(src|tests|bench|scripts)\//.test(f))).toEqual([]);
  });

  it('syncs the shipped snapshots offline and exports the approved dataset with npx, in an empty directory', () => {
    expect(npx('--version').stdout.trim()).toBe(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version);
    const sync = npx('sync', '--offline', '--json');
    expect(sync.status, sync.stderr).toBe(0);
    const summary = JSON.parse(sync.stdout);
    const shipped = readdirSync(join(PACKAGE_ROOT, 'sources')).filter((f) => f.endsWith('.json')).length;
    expect(summary.sources).toHaveLength(shipped);
    expect(existsSync(join(app, 'data', 'ledger.sqlite'))).toBe(true);

    must(npx('approve', '--source', 'openai-pricing', '--note', 'tarball test'), 'approve');
    must(npx('export', '--out', 'x'), 'export');
    expect(readdirSync(join(app, 'x')).sort()).toEqual(['dataset.json', 'dataset.schema.json', 'history.json', 'history.schema.json']);
    const dataset = JSON.parse(readFileSync(join(app, 'x', 'dataset.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    createRequire(import.meta.url)('ajv-formats')(ajv);
    const valid = ajv.validate(JSON.parse(readFileSync(join(app, 'x', 'dataset.schema.json'), 'utf8')), dataset);
    expect(ajv.errors ?? [], 'dataset.json against its schema').toEqual([]);
    expect(valid).toBe(true);
    const gpt = dataset.models.find((m: { id: string }) => m.id === 'openai/gpt-5.2');
    const price = gpt?.values.find((v: { field: string; condition: string }) => v.field === 'input_price' && v.condition === '');
    expect(price?.sources.map((s: { source_id: string }) => s.source_id)).toContain('openai-pricing');
  }, 300_000);
});
