import { describe, expect, it } from 'vitest';
import { stepChart } from '../../src/review/web/chart.ts';
import { priceMove } from '../../src/review/web/views.ts';

const NOW = '2026-08-01T00:00:00.000Z';

describe('stepChart', () => {
  it('draws joined intervals as one stepped line and a gap as a new segment', () => {
    const svg = stepChart(
      [
        {
          name: 'input',
          color: '#00f',
          intervals: [
            { from: '2026-07-01T00:00:00.000Z', to: '2026-07-11T00:00:00.000Z', value: 2 },
            { from: '2026-07-11T00:00:00.000Z', to: '2026-07-21T00:00:00.000Z', value: 1 },
            { from: '2026-07-25T00:00:00.000Z', to: null, value: 3 },
          ],
        },
      ],
      { now: NOW, title: 'prices' },
    ).value;
    const d = svg.match(/<path d="([^"]+)"/)![1];
    expect(d).toMatch(/^M60 [\d.]+ H[\d.]+ V[\d.]+ H[\d.]+ M[\d.]+ [\d.]+ H620$/);
    // the higher price is drawn higher up (smaller y)
    const [, y2] = d.match(/^M60 ([\d.]+)/)!.map(Number);
    const y1 = Number(d.match(/V([\d.]+)/)![1]);
    expect(y2).toBeLessThan(y1);
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).toContain('<title>input: $3 from 2026-07-25</title>');
  });

  it('escapes series names and says so when there is nothing to draw', () => {
    const svg = stepChart([{ name: '<b>x</b>', color: '#000', intervals: [{ from: '2026-07-01T00:00:00.000Z', to: null, value: 1 }] }], { now: NOW, title: '"t"' }).value;
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('aria-label="&quot;t&quot;"');
    expect(stepChart([], { now: NOW, title: 't' }).value).toContain('No approved prices yet');
  });
});

describe('priceMove', () => {
  it('is the relative move of a changed price, and nothing for other changes', () => {
    expect(priceMove({ field: 'input_price', kind: 'changed', old_value: 2, new_value: 2.5 })).toBeCloseTo(25);
    expect(priceMove({ field: 'output_price', kind: 'changed', old_value: 4, new_value: 1 })).toBeCloseTo(-75);
    expect(priceMove({ field: 'context_window', kind: 'changed', old_value: 4, new_value: 8 })).toBeNull();
    expect(priceMove({ field: 'input_price', kind: 'added', old_value: null, new_value: 2 })).toBeNull();
    expect(priceMove({ field: 'input_price', kind: 'changed', old_value: 0, new_value: 2 })).toBeNull();
  });
});
