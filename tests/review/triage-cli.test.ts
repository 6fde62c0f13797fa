import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, DEMO_SNAPSHOTS } from '../helpers/cli.ts';
import { readManifest } from '../../src/pipeline/manifest.ts';
import { Ledger } from '../../src/store/ledger.ts';

/** Triage, dry runs and a review policy through the CLI, on the demo set. */
describe('triage and policies from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-triage-'));
  const db = join(dir, 'ledger.sqlite');
  const policy = join(dir, 'review-policy.yaml');
  const run = (...args: string[]) => cli(['--db', db, ...args]);
  const json = async (...args: string[]) => {
    const r = await run(...args);
    expect(r.code, r.stderr).toBe(0);
    return r.json();
  };
  let ingest: any;

  beforeAll(async () => {
    writeFileSync(policy, '# routine moves the sources confirm\nrules:\n  - rule: small-move\n    max_move_pct: 2\n    min_sources: 1\n');
    expect((await run('sync', '--offline', '--quiet', '--policy', policy)).code).toBe(0);
  });

  it('groups a first import as new models, and keeps `changes --json` an array in id order, each with its group', async () => {
    const listed = await json('changes', '--json');
    expect(Array.isArray(listed)).toBe(true);
    expect(listed.map((c: any) => c.id)).toEqual([...listed.map((c: any) => c.id)].sort((a: number, b: number) => a - b));
    expect(new Set(listed.map((c: any) => c.group))).toEqual(new Set(['new-model']));
    const triaged = await json('changes', '--triage', '--json');
    expect(triaged.counts).toEqual({ disputed: 0, 'large-move': 0, removal: 0, 'new-model': listed.length, routine: 0 });
    // The policy approved nothing: a new model's figures are never routine.
    expect(await json('changes', '--status', 'approved', '--json')).toEqual([]);
  });

  it('approve --dry-run prints exactly what would change and writes nothing', async () => {
    const before = await json('changes', '--json');
    const dry = await run('approve', '--group', 'new-model', '--model', 'openai/gpt-5.2', '--dry-run');
    expect(dry.code).toBe(0);
    const expected = before.filter((c: any) => c.model === 'openai/gpt-5.2');
    expect(dry.stdout.split('\n')[0]).toBe(`would approve ${expected.length} change(s) (dry run: nothing written):`);
    expect(dry.stdout.trim().split('\n')).toHaveLength(expected.length + 1);
    const dryJson = await json('reject', '--group', 'new-model', '--dry-run', '--reason', 'x', '--json');
    expect(dryJson.map((c: any) => c.id)).toEqual(before.map((c: any) => c.id));
    expect((await json('changes', '--json')).map((c: any) => c.status)).toEqual(before.map(() => 'pending'));
    expect(await json('changes', '--status', 'rejected', '--json')).toEqual([]);
  });

  it('after a sync, the policy approves the small confirmed move as its rule, and leaves the large one to a human', async () => {
    expect((await run('approve', '--group', 'new-model', '--reviewer', 'ana')).code).toBe(0);
    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'aggregator-versus')!;
    const moved = join(dir, 'versus.txt');
    writeFileSync(moved, readFileSync(join(DEMO_SNAPSHOTS, entry.file), 'utf8').replaceAll('$2.50', '$2.52').replaceAll('$10/', '$13/'));
    ingest = await json('ingest', moved, '--source', 'aggregator-versus', '--observed-at', '2026-06-01', '--policy', policy, '--json');
    expect(ingest.auto_approved).toEqual([{ rule: 'small-move', count: 1 }]);

    const approved = (await json('changes', '--status', 'approved', '--json')).filter((c: any) => c.reviewer === 'policy:small-move');
    expect(approved.map((c: any) => [c.model, c.field, c.old_value, c.new_value])).toEqual([['openai/gpt-4o-audio', 'input_price', 2.5, 2.52]]);
    expect(approved[0].note).toMatch(/price moved \+0\.80% \(bound 2%\), confirmed by 1 sources: aggregator-versus/);

    const left = await json('changes', '--triage', '--json');
    expect(left.changes.map((c: any) => [c.model, c.field, c.group])).toEqual([['openai/gpt-4o-audio', 'output_price', 'large-move']]);
    expect(ingest.changes.pending).toBe(1);

    // In history like any approval, in the audit log and the journal with its rule.
    const history = await json('history', 'openai/gpt-4o-audio', 'input_price', '--json');
    expect(history.map((h: any) => h.value)).toEqual([2.5, 2.52]);
    const ledger = new Ledger(db);
    const audit = ledger.audit.log().filter((a) => a.actor === 'policy:small-move');
    ledger.close();
    expect(audit.map((a) => [a.action, (a.detail as any).rule])).toEqual([['approve', 'small-move']]);
    const lines = readFileSync(join(dir, 'decisions.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.rule).map((l) => [l.by, l.action, l.rule, l.new_value])).toEqual([['policy:small-move', 'approve', 'small-move', 2.52]]);
  });

  it('the text listing leads with the counts and the groups that need a human', async () => {
    const text = (await run('changes')).stdout;
    expect(text.split('\n')[0]).toBe('1 pending: 0 disputed figures, 1 large price moves, 0 removals, 0 new models, 0 routine');
    expect(text).toMatch(/== large price moves \(1\) ==\n#\d+ pending  openai\/gpt-4o-audio output_price: \$10 \/ 1M output tokens -> \$13 \/ 1M output tokens/);
  });

  it("groups the summary as the policy judged it: the policy's large_move_pct is the bound", async () => {
    const strict = join(dir, 'strict-policy.yaml');
    writeFileSync(strict, 'large_move_pct: 5\nrules: []\n');
    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'aggregator-versus')!;
    const moved = join(dir, 'versus-7pct.txt');
    // 2.52 to 2.70 is +7%: routine under the default 10%, a large move under this policy's 5%.
    writeFileSync(moved, readFileSync(join(DEMO_SNAPSHOTS, entry.file), 'utf8').replaceAll('$2.50', '$2.70').replaceAll('$10/', '$13/'));
    const markdown = join(dir, 'summary.md');
    expect((await run('ingest', moved, '--source', 'aggregator-versus', '--observed-at', '2026-06-02', '--policy', strict, '--summary', markdown, '--quiet')).code).toBe(0);
    expect(readFileSync(markdown, 'utf8')).toMatch(/### large price moves \(2\)\n\n\| # \| model \| field \| change \|\n\|---\|---\|---\|---\|\n(\| \d+ \| openai\/gpt-4o-audio \| \w+ \| [^\n]+\n){2}/);
    expect(readFileSync(markdown, 'utf8')).toContain('| large price moves | 2 |');
  });
});
