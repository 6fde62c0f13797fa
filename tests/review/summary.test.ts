import { describe, expect, it } from 'vitest';
import { formatSummaryMarkdown } from '../../src/review/format.ts';
import { notificationBody } from '../../src/pipeline/notify.ts';
import type { SyncSummary } from '../../src/schema/sync.ts';

const summary: SyncSummary = {
  sources: [{ source_id: 'openrouter', outcome: 'updated', claims: 12, models: 4, notes: [], problems: [], snapshot: null }],
  claims: 12,
  facts: 10,
  conflicts: { resolved: 1, disputed: 2 },
  anomalies: 3,
  changes: { queued: 5, refreshed: 0, superseded: 0, pending: 5 },
  new_models: 7,
  reconciled: 'full',
  timings: { read_ms: 1, reconcile_ms: 1 },
};

/** The weekly pull request's body and the webhook: what the terminal summary tells a reviewer, they tell too. */
describe('the sync summary for a pull request and a webhook', () => {
  it('names the model names awaiting confirmation and the anomalies, as the terminal summary does', () => {
    const markdown = formatSummaryMarkdown(summary, []);
    expect(markdown).toContain('· 3 anomalies ·');
    expect(markdown).toContain('7 model names await confirmation as new models or aliases (`model-ledger models --new`).');
    expect(formatSummaryMarkdown({ ...summary, new_models: 0 }, [])).not.toContain('await confirmation');
    expect(notificationBody(summary, 'l.db')).toMatchObject({ pending: 5, disputed: 2, new_models: 7 });
  });
});
