import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sha256Hex } from '../../src/pipeline/manifest.ts';
import { cli } from '../helpers/cli.ts';

const model = (name: string, input: number) => ({ id: name, name, cost: { input, output: input * 4 }, limit: { context: 131072, output: 8192 }, modalities: { input: ['text'], output: ['text'] } });

/** A models.dev-shaped listing where two vendors' names reach us spelt two ways each. */
function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'ml-bulk-'));
  mkdirSync(join(dir, 'sources'));
  mkdirSync(join(dir, 'snapshots', 'c'), { recursive: true });
  writeFileSync(
    join(dir, 'sources', 'catalogue.json'),
    JSON.stringify({ id: 'catalogue', name: 'c', kind: 'api', url: 'https://example.test/api.json', format: 'json', extractor: 'models-dev', trust: 0.7, expect: { min_models: 1, fields: ['input_price'] } }),
  );
  const body = JSON.stringify({
    acme: { id: 'acme', name: 'Acme', models: { 'widget-7b': model('widget-7b', 0.4) } },
    globex: { id: 'globex', name: 'Globex', models: { 'gx-2': model('gx-2', 0.1) } },
    'some-gateway': {
      id: 'some-gateway',
      name: 'Gateway',
      models: { 'acmeai/widget-7b': model('acmeai/widget-7b', 0.4), 'globexlabs/gx-2': model('globexlabs/gx-2', 0.1) },
    },
  });
  const sha256 = sha256Hex(body);
  writeFileSync(join(dir, 'snapshots', 'c', `${sha256}.json`), body);
  writeFileSync(join(dir, 'snapshots', 'manifest.json'), JSON.stringify([{ source_id: 'catalogue', observed_at: '2026-07-01T00:00:00.000Z', sha256, file: `c/${sha256}.json`, content_type: null }]));
  writeFileSync(join(dir, 'aliases.yaml'), 'models: {}\ndistinct: []\n');
  const registry = () => parse(readFileSync(join(dir, 'aliases.yaml'), 'utf8'));
  return { dir, registry, run: (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), '--sources', join(dir, 'sources'), '--snapshots', join(dir, 'snapshots'), '--aliases', join(dir, 'aliases.yaml'), ...args]) };
}

describe('settling candidates in bulk', () => {
  it('accepts all of a provider\'s best proposals at once, then confirms the rest as models of their own', async () => {
    const { run, registry } = workspace();
    expect((await run('sync', '--offline', '--quiet')).code).toBe(0);
    const pending = async () => (await run('models', '--new', '--json')).json().map((c: any) => [c.model_id, c.proposals[0].id]);
    expect(await pending()).toEqual([
      ['acmeai/widget-7b', 'acme/widget-7b'],
      ['globexlabs/gx-2', 'globex/gx-2'],
    ]);

    const one = await run('alias', '--all', '--provider', 'acmeai', '--evidence', 'same model name', '--reviewer', 'ana', '--json');
    expect(one.json().settled).toEqual([{ name: 'acmeai/widget-7b', id: 'acme/widget-7b', relation: 'alias' }]);
    expect(await pending()).toEqual([['globexlabs/gx-2', 'globex/gx-2']]);
    const fact = (await run('explain', 'acme/widget-7b', 'input_price', '--json')).json();
    const facts = Array.isArray(fact) ? fact : [fact];
    expect(facts.find((f: any) => f.condition === 'route:some-gateway').claims[0].linked_from).toMatchObject({ model: 'acmeai/widget-7b', evidence: 'registry' });

    const rest = await run('alias', '--all', '--not', '--reviewer', 'ana', '--json');
    expect(rest.json().settled).toEqual([{ name: 'globexlabs/gx-2', id: 'globex/gx-2', relation: 'distinct' }]);
    expect(await pending()).toEqual([]);
    expect(registry()).toEqual({ models: { 'acme/widget-7b': ['acmeai/widget-7b'] }, distinct: [['globexlabs/gx-2', 'globex/gx-2']] });
    const none = await run('alias', '--all');
    expect(none.code).toBe(65);
    expect(none.stderr).toMatch(/no pending candidates/);
  });

  it('reports a catalogue of an unknown shape as drift and keeps every model and figure', async () => {
    const { dir, run } = workspace();
    expect((await run('sync', '--offline', '--quiet')).code).toBe(0);
    const before = (await run('models', '--json')).json().map((m: any) => m.id);
    const facts = (await run('explain', 'acme/widget-7b', '--json')).json();
    for (const body of ['{"data": [{"id": "x"}]}', '[1, 2, 3]', 'not json']) {
      const file = join(dir, 'odd.json');
      writeFileSync(file, body);
      const ingested = await run('ingest', file, '--source', 'catalogue', '--json');
      expect(ingested.code, body).toBe(1);
      expect(ingested.json().sources[0]).toMatchObject({ source_id: 'catalogue', outcome: 'drift' });
      expect((await run('models', '--json')).json().map((m: any) => m.id)).toEqual(before);
      expect((await run('explain', 'acme/widget-7b', '--json')).json()).toEqual(facts);
      expect((await run('changes', '--json')).json().filter((c: any) => c.kind === 'removed')).toEqual([]);
    }
  });
});
