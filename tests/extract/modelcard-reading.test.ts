import { describe, expect, it } from 'vitest';
import { extractModelCard } from '../../src/extract/modelcard.ts';
import { parsePage } from '../../src/extract/tables.ts';
import { fixture } from './helpers.ts';

describe('a mirrored model card with a family table of spanned cells', () => {
  const body = fixture('mirrored-family-card.md');
  const result = extractModelCard({ body, format: 'markdown' });
  const own = (field: string) => result.claims.filter((c) => c.model.endsWith('/acme-chat-2-7b-instruct') && c.field === field).map((c) => c.value);

  it('lays out row spans: the spanned cell stands in every row it covers, later cells keep their column', () => {
    const table = parsePage(body, 'markdown').tables[0];
    expect(table.rows).toEqual([
      ['Acme Chat 2', '7B', '32k', 'March 2025'],
      ['Acme Chat 2', '70B', '64k', 'March 2025'],
    ]);
    expect(table.locator).toMatch(/\(html\)/);
  });

  it('reads the row of the card\'s own size, and no other', () => {
    expect(own('parameters')).toEqual([7e9]);
    expect(own('context_window')).toEqual([32000]);
    expect(own('knowledge_cutoff')).toEqual(['2025-03']);
  });

  it('does not read rows that share a spanned name as one model', () => {
    expect(result.claims.some((c) => /acme-chat-2$/.test(c.model))).toBe(false);
  });

  it('finds the front matter below the mirror\'s title, and the release date line', () => {
    expect(own('license')).toEqual(['acme2']);
    expect(own('release_date')).toEqual(['2025-06-02']);
  });
});

describe('a card whose only context figure is config.json\'s', () => {
  const result = extractModelCard({ body: fixture('config-only-card.md'), format: 'markdown' });

  it('claims max_position_embeddings as the context window, saying where it came from', () => {
    const context = result.claims.filter((c) => c.field === 'context_window');
    expect(context.map((c) => c.value)).toEqual([32768]);
    expect(context[0].locator).toMatch(/config\.json .*\/max_position_embeddings/);
  });

  it('reads model_max_length when that is the key the block has', () => {
    const body = fixture('config-only-card.md').replace('"max_position_embeddings"', '"model_max_length"');
    const context = extractModelCard({ body, format: 'markdown' }).claims.filter((c) => c.field === 'context_window');
    expect(context.map((c) => c.value)).toEqual([32768]);
  });

  it('leaves config.json out when the card states its own context window', () => {
    const body = fixture('config-only-card.md').replace('A small model.', '| Model | Context length |\n| --- | --- |\n| acme-tiny-1.5b | 16k |');
    const result2 = extractModelCard({ body, format: 'markdown' });
    expect(result2.claims.filter((c) => c.field === 'context_window').map((c) => c.value)).toEqual([16000]);
    expect(result2.notes.join('\n')).toMatch(/config\.json context length not claimed/);
  });
});
