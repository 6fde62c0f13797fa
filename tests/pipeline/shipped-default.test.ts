/**
 * The full shipped default, as `npm start` reads it: the real OpenRouter, LiteLLM, models.dev and
 * genai-prices dumps and the pages. Slow (about half a minute): it is the promise the README makes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approve, explainModel, pendingCandidates, sourcesOf, syncLedger, withLedger, workspace } from '../../src/app/index.ts';
import { readManifest } from '../../src/pipeline/manifest.ts';
import { DEFAULT_ALIAS_FILE, DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR } from '../../src/paths.ts';

describe('the shipped default, offline', () => {
  it('yields thousands of canonical models from four structured sources and the pages, with few identity doubts', { timeout: 240_000 }, async () => {
    const ws = workspace({ db: join(mkdtempSync(join(tmpdir(), 'ml-default-')), 'l.sqlite'), sourcesDir: DEFAULT_SOURCES_DIR, snapshotsDir: DEFAULT_SNAPSHOTS_DIR, aliasesFile: DEFAULT_ALIAS_FILE });
    const summary = await syncLedger(ws, { offline: true });
    // Every shipped capture is read; the vendors' pages the project ships no capture of are live only, never failures.
    const shipped = new Set(readManifest(DEFAULT_SNAPSHOTS_DIR).map((e) => e.source_id));
    expect(summary.sources.filter((s) => s.outcome !== 'updated' && s.outcome !== 'live-only')).toEqual([]);
    const liveOnly = summary.sources.filter((s) => s.outcome === 'live-only').map((s) => s.source_id);
    expect(liveOnly.sort()).toEqual(sourcesOf(ws).filter((s) => !shipped.has(s.id)).map((s) => s.id).sort());
    expect(summary.sources.filter((s) => s.outcome === 'updated').map((s) => s.source_id).sort()).toEqual([...shipped].sort());
    for (const id of ['openrouter', 'litellm', 'models-dev', 'genai-prices']) {
      expect(summary.sources.find((s) => s.source_id === id)!.models, id).toBeGreaterThan(300);
    }
    expect(pendingCandidates(ws).length).toBeLessThan(100);

    // LiteLLM's 272K is GPT-5.2's input limit, not a rival context window.
    const input = explainModel(ws, 'openai/gpt-5.2', 'max_input_tokens').find((f) => f.condition === '')!;
    expect(input).toMatchObject({ value: 272000 });
    const context = explainModel(ws, 'openai/gpt-5.2', 'context_window').find((f) => f.condition === '')!;
    expect(context).toMatchObject({ value: 400000, status: 'agreed' });
    expect(context.claims.every((c) => c.value === 400000)).toBe(true);

    expect(approve(ws, { all: true }, { reviewer: 'test' }).length).toBe(summary.changes.pending);
    const models = withLedger(ws, (ledger) => new Set(ledger.history.published().map((v) => v.model)).size);
    expect(models).toBeGreaterThanOrEqual(1500);

    // The second offline sync reads each dump's newer capture: real price moves to review.
    const second = await syncLedger(ws, { offline: true });
    expect(second.changes.queued).toBeGreaterThan(1000);
    const moved = withLedger(ws, (ledger) => ledger.changes.list({ status: 'pending' }).filter((c) => c.kind === 'changed' && c.field === 'input_price'));
    expect(moved.length).toBeGreaterThan(10);
  });
});
