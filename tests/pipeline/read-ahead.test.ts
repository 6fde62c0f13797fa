import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_AHEAD, runPipeline, type Acquired } from '../../src/pipeline/sync.ts';
import { SourceSchema, type Source } from '../../src/schema/source.ts';
import { Ledger } from '../../src/store/ledger.ts';

describe('reading ahead of recording', () => {
  it('reads at most READ_AHEAD sources past the next one to record, and records all in order', async () => {
    const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'ml-read-ahead-')), 'ledger.sqlite'));
    const count = READ_AHEAD * 3 + 17;
    const targets: Source[] = Array.from({ length: count }, (_, i) =>
      SourceSchema.parse({ id: `s-${String(i).padStart(4, '0')}`, name: `s${i}`, kind: 'aggregator', url: `https://s${i}.example/p`, format: 'html', extractor: 'aggregator', trust: 0.5 }),
    );
    const position = new Map(targets.map((s, i) => [s.id, i]));
    let recorded = 0;
    let furthestAhead = 0;
    const acquire = async (source: Source): Promise<Acquired> => {
      while (recorded < count && ledger.sources.fetchLog(targets[recorded].id, 1).length > 0) recorded++;
      furthestAhead = Math.max(furthestAhead, position.get(source.id)! - recorded);
      await new Promise((resolve) => setImmediate(resolve));
      return { status: 'failed', errorClass: 'network', message: 'unreachable' };
    };
    try {
      const summary = await runPipeline(ledger, { sources: targets, extractWorkers: 0 }, targets, acquire);
      expect(summary.sources.map((s) => s.source_id)).toEqual(targets.map((s) => s.id));
      expect(summary.sources.every((s) => s.outcome === 'failed')).toBe(true);
      expect(furthestAhead).toBeLessThan(READ_AHEAD);
      // It does read ahead: a whole batch's sources are on the wire together, not one at a time.
      expect(furthestAhead).toBeGreaterThanOrEqual(READ_AHEAD / 2);
    } finally {
      ledger.close();
    }
  });
});
