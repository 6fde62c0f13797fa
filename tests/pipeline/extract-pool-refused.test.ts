import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { extractSnapshot } from '../../src/extract/registry.ts';
import { createExtractionPool } from '../../src/pipeline/extract-pool.ts';
import { SourceSchema } from '../../src/schema/source.ts';

// Node refusing a worker outright (the constructor throws, where a worker that dies loading fails later).
vi.mock('../../src/worker-flags.ts', () => ({
  startWorker: () => {
    throw new Error('no threads here');
  },
}));

describe('an extraction pool whose workers are refused at once', () => {
  it('extracts every job on the main thread and says why', async () => {
    const pool = createExtractionPool({ workers: 2 });
    const source = SourceSchema.parse({ id: 's', name: 's', kind: 'api', url: 'https://example.test/models', format: 'json', extractor: 'openrouter', trust: 0.5 });
    const body = readFileSync(join(import.meta.dirname, '../fixtures/pipeline/openrouter-small.json'), 'utf8');
    const job = { body, format: 'json' as const, source };
    try {
      // One job alone first: nothing else comes along to move it once the pool has no workers.
      const first = await pool.extract(job);
      const results = [first, ...(await Promise.all([pool.extract(job), pool.extract(job)]))].map((e) => e.result);
      const expected = extractSnapshot(job);
      expect(expected.claims.length).toBeGreaterThan(5);
      for (const result of results) {
        expect(result.claims).toEqual(expected.claims);
        expect(result.notes.at(-1)).toBe('extracted on the main thread: extraction worker could not start: no threads here');
      }
    } finally {
      await pool.close();
    }
  });
});
