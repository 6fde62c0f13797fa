/**
 * Export is atomic: a reader polling the directory from another process during many exports reads
 * whole files of one export, and a failed export leaves the old set as it was.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, chmodSync, existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';
import { exportDataset, EXPORT_FORMATS } from '../../src/export/write.ts';

/** Faults the tests inject into node:fs as src/export sees it; none by default. */
const faults = vi.hoisted(() => ({
  writeFile: undefined as undefined | ((path: string) => void),
  rename: undefined as undefined | ((from: string, to: string) => void),
}));
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return {
    ...real,
    writeFileSync: (...args: Parameters<typeof real.writeFileSync>) => {
      faults.writeFile?.(String(args[0]));
      return real.writeFileSync(...args);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      faults.rename?.(String(from), String(to));
      return real.renameSync(from, to);
    },
  };
});

afterEach(() => {
  faults.writeFile = undefined;
  faults.rename = undefined;
});

const MARKER = { model: 'openai/marker', field: 'input_price', condition: '' } as const;

/** A ledger of `models` models, a few figures each, big enough that writing it takes a while. */
function bigLedger(models: number): Ledger {
  const ledger = new Ledger(':memory:');
  const from = '2026-07-17T00:00:00.000Z';
  const entry = (value: number, valid_from = from) => ({
    value,
    unit: null,
    status: 'agreed' as const,
    confidence: 0.9,
    sources: [{ source_id: 'openrouter', url: 'https://example.test/models', observed_at: valid_from }],
    valid_from,
    change_id: null,
  });
  ledger.models.upsert({ id: MARKER.model, name: 'Marker', provider: 'openai', family: 'marker', version: null }, '2026-07-17');
  for (let i = 0; i < models; i++) {
    const id = `openai/model-${String(i).padStart(4, '0')}`;
    ledger.models.upsert({ id, name: `Model ${i}`, provider: 'openai', family: `model-${i}`, version: null }, '2026-07-17');
    for (const [field, value] of [['input_price', 1 + i / 100], ['output_price', 4 + i / 100], ['context_window', 128000 + i]] as const) {
      ledger.history.insertInterval({ model: id, field, condition: '' }, entry(value));
    }
  }
  return ledger;
}

/** Export number `n` carries the marker value n in dataset.json and in history.json. */
function setMarker(ledger: Ledger, n: number): void {
  const at = new Date(Date.UTC(2026, 6, 17) + n * 60_000).toISOString();
  ledger.history.insertInterval(MARKER, {
    value: n,
    unit: null,
    status: 'agreed',
    confidence: 0.9,
    sources: [{ source_id: 'openrouter', url: 'https://example.test/models', observed_at: at }],
    valid_from: at,
    change_id: null,
  });
}

const datasetMarker = (d: any) => d.models.find((m: any) => m.id === MARKER.model).values.find((v: any) => v.field === MARKER.field).value;
const historyMarker = (h: any) => h.intervals.find((i: any) => i.model === MARKER.model && i.valid_to === null).value;

/**
 * The reader, a plain Node process: in a loop it enters the export directory (as `cd` does) and
 * reads dataset.json and history.json there; it also reads dataset.json by its full path, as a
 * naive reader would. Until told to stop on stdin; then it prints what it saw.
 */
const READER = `
const fs = require('node:fs');
const [dir] = process.argv.slice(1);
const out = { reads: 0, unparseable: [], mixed: 0, absent: 0, markers: new Set(), naiveReads: 0, naiveUnparseable: [] };
const marker = (d, h) => [
  d.models.find((m) => m.id === 'openai/marker').values.find((v) => v.field === 'input_price').value,
  h.intervals.find((i) => i.model === 'openai/marker' && i.valid_to === null).value,
];
let stop = false;
process.stdin.on('data', () => { stop = true; });
process.stdout.write('ready\\n');
function loop() {
  for (let i = 0; i < 20 && !stop; i++) {
    let texts;
    try {
      process.chdir(dir);
      texts = [fs.readFileSync('dataset.json', 'utf8'), fs.readFileSync('history.json', 'utf8')];
    } catch (e) {
      if (e.code === 'ENOENT') { out.absent++; continue; }
      throw e;
    } finally {
      process.chdir('/');
    }
    out.reads++;
    try {
      const [d, h] = marker(JSON.parse(texts[0]), JSON.parse(texts[1]));
      out.markers.add(d);
      if (d !== h) out.mixed++;
    } catch (e) {
      out.unparseable.push(texts[0].length + '/' + texts[1].length);
    }
    try {
      const naive = fs.readFileSync(dir + '/dataset.json', 'utf8');
      out.naiveReads++;
      try { JSON.parse(naive); } catch { out.naiveUnparseable.push(naive.length); }
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
  if (stop) {
    process.stdout.write(JSON.stringify({ ...out, markers: out.markers.size, unparseable: out.unparseable.slice(0, 5), unparseableCount: out.unparseable.length, naiveUnparseable: out.naiveUnparseable.length }) + '\\n');
    process.exit(0);
  }
  setImmediate(loop);
}
loop();
`;

async function runReader(dir: string, during: () => void): Promise<any> {
  const child = spawn(process.execPath, ['-e', READER, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => (stdout += chunk));
  while (!stdout.includes('ready\n')) await once(child.stdout, 'data');
  try {
    during();
  } finally {
    child.stdin.write('stop\n');
  }
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  return JSON.parse(stdout.split('\n')[1]);
}

describe('atomic export', () => {
  it('a reader polling during 50 exports reads whole files of one export every time', async () => {
    const ledger = bigLedger(40);
    const dir = join(mkdtempSync(join(tmpdir(), 'ml-atomic-')), 'export');
    setMarker(ledger, 0);
    exportDataset(ledger, dir, { formats: [...EXPORT_FORMATS] });
    const seen = await runReader(dir, () => {
      for (let n = 1; n <= 50; n++) {
        setMarker(ledger, n);
        exportDataset(ledger, dir);
      }
    });
    // The reader really ran alongside: it read many times and saw many different exports.
    expect(seen.reads).toBeGreaterThan(50);
    expect(seen.markers).toBeGreaterThan(10);
    expect(seen.unparseableCount, JSON.stringify(seen.unparseable)).toBe(0);
    expect(seen.mixed).toBe(0);
    expect(seen.naiveReads).toBeGreaterThan(50);
    expect(seen.naiveUnparseable).toBe(0);
    // The last export is in place, and no scratch is left beside it.
    expect(datasetMarker(JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')))).toBe(50);
    expect(historyMarker(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')))).toBe(50);
    expect(readdirSync(join(dir, '..'))).toEqual(['export']);
  }, 120_000);

  /** A directory holding export 1 (all formats) plus a file and a folder of the user's own. */
  function exportedOnce() {
    const ledger = bigLedger(5);
    const root = mkdtempSync(join(tmpdir(), 'ml-atomic-'));
    const dir = join(root, 'export');
    setMarker(ledger, 1);
    exportDataset(ledger, dir, { formats: [...EXPORT_FORMATS] });
    writeFileSync(join(dir, 'README.md'), 'mine\n');
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'a.txt'), 'a\n');
    chmodSync(dir, 0o750);
    const before = snapshot(dir);
    setMarker(ledger, 2);
    return { ledger, root, dir, before };
  }

  function snapshot(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    const walk = (d: string, prefix: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
        else files[`${prefix}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
      }
    };
    walk(dir, '');
    return files;
  }

  it('keeps the user\'s own files and the directory\'s mode, and drops outputs of formats not asked for', () => {
    const { ledger, dir, root } = exportedOnce();
    exportDataset(ledger, dir);
    expect(Object.keys(snapshot(dir)).sort()).toEqual(['README.md', 'dataset.json', 'dataset.schema.json', 'history.json', 'history.schema.json', 'notes/a.txt']);
    expect(readFileSync(join(dir, 'notes', 'a.txt'), 'utf8')).toBe('a\n');
    expect(statSync(dir).mode & 0o777).toBe(0o750);
    expect(readdirSync(root)).toEqual(['export']);
  });

  it('a writer failing midway leaves the old set intact and no scratch behind', () => {
    const { ledger, dir, root, before } = exportedOnce();
    faults.writeFile = (path) => {
      if (path.endsWith('history.json')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    expect(() => exportDataset(ledger, dir, { formats: [...EXPORT_FORMATS] })).toThrow(/ENOSPC/);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(root)).toEqual(['export']);
  });

  it('a swap failing after the old set was moved aside puts it back', () => {
    const { ledger, dir, root, before } = exportedOnce();
    faults.rename = (from, to) => {
      if (to === dir && !from.includes('export-old-')) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    };
    expect(() => exportDataset(ledger, dir)).toThrow(/EIO/);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(root)).toEqual(['export']);
  });

  it('after a crash between the two renames, the next export finds the set moved aside and replaces it', () => {
    const { ledger, dir, root } = exportedOnce();
    // As a process killed mid-swap leaves it: the old set aside, the target missing.
    const aside = join(root, '.export.export-old-999999999-abcdef');
    renameSync(dir, aside);
    writeFileSync(join(root, '.export.export-new-999999999-abcdef'), '');
    exportDataset(ledger, dir);
    expect(readdirSync(root)).toEqual(['export']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('mine\n');
    expect(datasetMarker(JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')))).toBe(2);
  });

  it('a directory that cannot be renamed (a mount point) has each file replaced whole', () => {
    const { ledger, dir, root } = exportedOnce();
    faults.rename = (from) => {
      if (from === dir) throw Object.assign(new Error('EBUSY: resource busy or locked, rename'), { code: 'EBUSY' });
    };
    exportDataset(ledger, dir);
    expect(Object.keys(snapshot(dir)).sort()).toEqual(['README.md', 'dataset.json', 'dataset.schema.json', 'history.json', 'history.schema.json', 'notes/a.txt']);
    expect(datasetMarker(JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8')))).toBe(2);
    expect(readdirSync(root)).toEqual(['export']);
    expect(existsSync(join(dir, 'llm-prices'))).toBe(false);
  });
});
