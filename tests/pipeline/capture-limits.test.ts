import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/app/sync.ts';
import { withLedger, workspace, type Workspace } from '../../src/app/workspace.ts';
import { LedgerError } from '../../src/errors.ts';

/** A workspace with one first-party markdown pricing source, `acme`. */
function acmeWorkspace(): Workspace & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ml-limits-'));
  mkdirSync(join(dir, 'sources'));
  mkdirSync(join(dir, 'snapshots'));
  const source = { id: 'acme', name: 'Acme pricing', kind: 'first-party', url: 'https://acme.example/pricing', format: 'markdown', extractor: 'pricing', provider: 'acme', trust: 0.9, expect: { min_models: 1, fields: ['input_price'] } };
  writeFileSync(join(dir, 'sources', 'acme.json'), JSON.stringify(source));
  return { dir, ...workspace({ db: join(dir, 'ledger.sqlite'), sourcesDir: join(dir, 'sources'), snapshotsDir: join(dir, 'snapshots'), aliasesFile: join(dir, 'aliases.yaml') }) };
}

/** A pricing page of `names`, each at `price` in and 4x out; two claims per row. */
function page(ws: { dir: string }, file: string, names: string[], price: number): string {
  const rows = names.map((n) => `| ${n} | $${price.toFixed(2)} | $${(price * 4).toFixed(2)} |`);
  const path = join(ws.dir, file);
  writeFileSync(path, ['# Acme API pricing', '', '| Model | Input | Output |', '|---|---|---|', ...rows, ''].join('\n'));
  return path;
}

const inputPrices = (ws: Workspace) => withLedger(ws, (l) => l.facts.list({ field: 'input_price' }).map((f) => [f.model, f.value]));

describe('capture limits', () => {
  it('fails a source whose capture yields more claims than the limit, keeping its last good facts', async () => {
    const ws = acmeWorkspace();
    const first = await ingestFile(ws, page(ws, 'a.md', ['Nimbus 1', 'Nimbus 2'], 1), { source: 'acme', observedAt: '2026-01-01', limits: { maxClaims: 4 } });
    expect(first.sources.map((s) => [s.outcome, s.claims])).toEqual([['updated', 4]]);

    const bloated = page(ws, 'b.md', ['Nimbus 1', 'Nimbus 2', 'Nimbus 3'], 2);
    const second = await ingestFile(ws, bloated, { source: 'acme', observedAt: '2026-02-01', limits: { maxClaims: 4 } });
    expect(second.sources[0].outcome).toBe('drift');
    expect(second.sources[0].problems).toEqual(['capture too large: 6 claims, more than the limit of 4 per capture']);
    expect(inputPrices(ws)).toEqual([['acme/nimbus-1', 1], ['acme/nimbus-2', 1]]);
    withLedger(ws, (l) => {
      expect(l.sources.state('acme')?.last_error).toBe('capture too large: 6 claims, more than the limit of 4 per capture');
      expect(l.captures.of('acme').map((c) => [c.outcome, c.claim_count])).toEqual([['extracted', 4], ['drift', 0]]);
      expect(l.models.has('acme/nimbus-3')).toBe(false);
    });

    // The same page within a higher limit is read.
    const third = await ingestFile(ws, bloated, { source: 'acme', observedAt: '2026-02-02', limits: { maxClaims: 6 } });
    expect(third.sources[0].outcome).toBe('updated');
    expect(inputPrices(ws)).toEqual([['acme/nimbus-1', 2], ['acme/nimbus-2', 2], ['acme/nimbus-3', 2]]);
  });

  it('counts only the models the ledger has never seen against the new-model limit', async () => {
    const ws = acmeWorkspace();
    await ingestFile(ws, page(ws, 'a.md', ['Nimbus 1', 'Nimbus 2', 'Nimbus 3'], 1), { source: 'acme', observedAt: '2026-01-01', limits: { maxNewModels: 3 } });
    // Three known and three new: within a limit of three new models.
    const six = page(ws, 'b.md', ['Nimbus 1', 'Nimbus 2', 'Nimbus 3', 'Nimbus 4', 'Nimbus 5', 'Nimbus 6'], 2);
    const within = await ingestFile(ws, six, { source: 'acme', observedAt: '2026-02-01', limits: { maxNewModels: 3 } });
    expect(within.sources[0].outcome).toBe('updated');
    // Four new: one too many.
    const ten = page(ws, 'c.md', ['Nimbus 1', 'Nimbus 7', 'Nimbus 8', 'Nimbus 9', 'Nimbus 10'], 3);
    const over = await ingestFile(ws, ten, { source: 'acme', observedAt: '2026-03-01', limits: { maxNewModels: 3 } });
    expect(over.sources[0].outcome).toBe('drift');
    expect(over.sources[0].problems).toEqual(['capture names too many new models: more than the limit of 3 per capture']);
    expect(inputPrices(ws)).toEqual([1, 2, 3, 4, 5, 6].map((n) => [`acme/nimbus-${n}`, 2]));
  });

  it('takes a capture that lost most of its source\'s models or figures for drift, not for removals, unless told to accept it', async () => {
    const ws = acmeWorkspace();
    const names = Array.from({ length: 24 }, (_, i) => `Nimbus ${i + 1}`);
    await ingestFile(ws, page(ws, 'a.md', names, 1), { source: 'acme', observedAt: '2026-01-01' });
    // Half the models still there: a page may drop some.
    const half = await ingestFile(ws, page(ws, 'b.md', names.slice(0, 12), 2), { source: 'acme', observedAt: '2026-02-01' });
    expect(half.sources[0].outcome).toBe('updated');
    // A third of them: a lost section or a changed shape.
    const third = page(ws, 'c.md', names.slice(0, 4), 3);
    const lost = await ingestFile(ws, third, { source: 'acme', observedAt: '2026-03-01' });
    expect(lost.sources[0].outcome).toBe('drift');
    expect(lost.sources[0].problems).toEqual([expect.stringMatching(/^capture shrank: 4 models and 8 figures where the last good capture had 12 and 24 \(under 50%\)/)]);
    expect(inputPrices(ws).filter(([, v]) => v === 2)).toHaveLength(12);
    expect(inputPrices(ws).filter(([, v]) => v === 3)).toEqual([]);
    // Accepted on purpose: the source really dropped them.
    const accepted = await ingestFile(ws, third, { source: 'acme', observedAt: '2026-03-02', limits: { minYieldPct: 0 } });
    expect(accepted.sources[0].outcome).toBe('updated');
    expect(inputPrices(ws).filter(([, v]) => v === 3)).toHaveLength(4);
    await expect(ingestFile(ws, third, { source: 'acme', limits: { minYieldPct: 101 } })).rejects.toThrow(/minYieldPct must be a whole number from 0 to 100/);
  });

  it('refuses a limit that is not a positive whole number before reading anything', async () => {
    const ws = acmeWorkspace();
    const file = page(ws, 'a.md', ['Nimbus 1'], 1);
    await expect(ingestFile(ws, file, { source: 'acme', limits: { maxClaims: 0 } })).rejects.toThrow(LedgerError);
    await expect(ingestFile(ws, file, { source: 'acme', limits: { maxNewModels: 2.5 } })).rejects.toThrow(/maxNewModels must be a whole number/);
  });
});
