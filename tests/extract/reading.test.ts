import { describe, expect, it } from 'vitest';
import { extractGeneric } from '../../src/extract/aggregator.ts';
import { extractPricingPage } from '../../src/extract/pricing.ts';
import { keyValueLines, pageSubject, readFlattenedTables, readTextCards, rowSubject, splitGluedId, valueColumn } from '../../src/extract/reading.ts';
import { labelMeaning } from '../../src/extract/labels.ts';
import { parsePage } from '../../src/extract/tables.ts';
import { fixture, valuesOf } from './helpers.ts';

describe('a malformed markdown table', () => {
  const result = extractPricingPage({ body: fixture('malformed-delimiter.md'), format: 'markdown' });

  it('gives no claim rather than a shifted column', () => {
    expect(result.claims.filter((c) => !c.anomaly)).toEqual([]);
  });

  it('says why in the notes', () => {
    expect(result.notes.join('\n')).toMatch(/header has 3 cells and whose delimiter row has 1/);
  });
});

describe('a vendor table priced per 1,000 tokens', () => {
  const { claims } = extractPricingPage({ body: fixture('per-1k-vendor-table.md'), format: 'markdown', provider: 'zeta' });
  const ids = [...new Set(claims.map((c) => c.model))];
  const id = ids.find((m) => m.endsWith('/zeta-pro-3')) ?? '';

  it('reads the header\'s unit and qualifiers: per 1K becomes per 1M, (batch) and (cache read) their fields', () => {
    expect(valuesOf(claims, id, 'input_price')).toEqual([0.8]);
    expect(valuesOf(claims, id, 'output_price')).toEqual([3.2]);
    expect(valuesOf(claims, id, 'batch_input_price')).toEqual([0.4]);
    expect(valuesOf(claims, id, 'cached_input_price')).toEqual([0.2]);
  });

  it('claims a latency-optimized row under its condition, never as the base price', () => {
    expect(valuesOf(claims, id, 'input_price', 'latency_optimized')).toEqual([1]);
    expect(valuesOf(claims, id, 'output_price', 'latency_optimized')).toEqual([4]);
  });

  it('takes a status aside off the model name', () => {
    expect(ids.some((m) => m.endsWith('/zeta-mini-3'))).toBe(true);
    expect(ids.some((m) => m.includes('deprecated'))).toBe(false);
  });
});

describe('tables about the section heading\'s model', () => {
  const result = extractPricingPage({ body: fixture('section-subject-pricing.md'), format: 'markdown', provider: 'google' });
  const { claims } = result;
  const flash = 'google/gemini-9-flash';

  it('reads the paid column for the heading\'s model, splitting text and audio prices', () => {
    expect(valuesOf(claims, flash, 'input_price')).toEqual([0.4]);
    expect(valuesOf(claims, flash, 'input_price', 'modality:audio')).toEqual([1.2]);
    expect(valuesOf(claims, flash, 'output_price')).toEqual([3]);
  });

  it('drops the storage price from a caching cell', () => {
    expect(valuesOf(claims, flash, 'cached_input_price')).toEqual([0.04]);
    expect(valuesOf(claims, flash, 'cached_input_price', 'modality:audio')).toEqual([0.12]);
  });

  it('reads a Batch table below it as batch prices with their long-context tier, and no per-image price', () => {
    expect(valuesOf(claims, flash, 'batch_input_price')).toEqual([0.2]);
    expect(valuesOf(claims, flash, 'batch_input_price', 'context>200000')).toEqual([0.4]);
    expect(claims.filter((c) => c.model === flash && c.field === 'batch_output_price')).toEqual([]);
  });

  it('takes a lone price naming a modality as the base price', () => {
    expect(valuesOf(claims, 'google/gemini-9-voice', 'output_price')).toEqual([15]);
  });

  it('never reads a worked example as list prices', () => {
    expect(claims.some((c) => /billing/i.test(c.model_name))).toBe(false);
  });

  it('gives section readings a lower confidence than a model-row table cell', () => {
    const claim = claims.find((c) => c.model === flash && c.field === 'output_price');
    expect(claim?.confidence).toBeLessThan(0.95);
    expect(claim?.locator).toMatch(/section subject/);
  });
});

describe('a cell of two glued prices', () => {
  const { claims } = extractPricingPage({ body: fixture('glued-price-pair.md'), format: 'markdown', provider: 'x-ai' });

  it('reads input then output under a per-million-tokens group', () => {
    expect(valuesOf(claims, 'x-ai/grok-9', 'input_price')).toEqual([2]);
    expect(valuesOf(claims, 'x-ai/grok-9', 'output_price')).toEqual([9]);
    expect(valuesOf(claims, 'x-ai/grok-9-fast', 'context_window')).toEqual([1_000_000]);
  });

  it('reads nothing under a per-image group', () => {
    expect(claims.filter((c) => c.model === 'x-ai/grok-9-image' && c.field.endsWith('_price'))).toEqual([]);
  });
});

describe('a single-model page', () => {
  const result = extractPricingPage({ body: fixture('single-model-notes.txt'), format: 'text' });
  const model = result.claims[0]?.model ?? '';

  it('gives the page subject the figures that name no other model', () => {
    expect(model).toMatch(/acme-coder-7$/);
    expect(valuesOf(result.claims, model, 'context_window')).toEqual([96_000]);
    expect(valuesOf(result.claims, model, 'input_price')).toEqual([0.45]);
    expect(valuesOf(result.claims, model, 'cached_input_price')).toEqual([0.2]);
    expect(valuesOf(result.claims, model, 'output_price')).toEqual([1.35]);
  });

  it('never claims a hedged figure', () => {
    expect(result.claims.filter((c) => c.field === 'max_output_tokens')).toEqual([]);
  });

  it('says the figures were read as the page subject\'s, with a lower confidence', () => {
    expect(result.claims.every((c) => c.locator.includes('page subject') && c.confidence < 0.9)).toBe(true);
  });
});

describe('key-value lines with a full-width colon', () => {
  const body = fixture('fullwidth-colon.txt');

  it('splits key and value at "："', () => {
    expect(keyValueLines(body).map((l) => [l.key, l.value])).toEqual([
      ['Model', 'acme-coder-7'],
      ['上下文长度 Context length', '64K'],
      ['Max output tokens', '8K'],
    ]);
  });

  it('names the subject from the Model line', () => {
    expect(pageSubject(body, parsePage(body, 'text'), () => true)).toBe('acme-coder-7');
  });

  it('reads the max output key into its field', () => {
    const { claims } = extractPricingPage({ body: `Pricing notes\n${body}`, format: 'text' });
    expect(claims.filter((c) => c.field === 'max_output_tokens').map((c) => c.value)).toEqual([8000]);
  });
});

describe('reading helpers', () => {
  it('refuses to choose between two priced columns', () => {
    expect(valueColumn(['', 'Free Tier', 'Paid Tier'])).toBe(2);
    expect(valueColumn(['', 'Standard', 'Enterprise'])).toBeNull();
  });

  it('reads conditions off model cells', () => {
    expect(rowSubject('Nova Pro (w/ latency optimized inference)')).toEqual({ name: 'Nova Pro', condition: 'latency_optimized' });
    expect(rowSubject('Opus 3 (deprecated)')).toEqual({ name: 'Opus 3', condition: '' });
  });

  it('reads unit-stating headers', () => {
    expect(labelMeaning('Price per 1,000 output tokens (batch)')).toEqual({ field: 'batch_output_price' });
    expect(labelMeaning('Input Tokens ($/1M)')).toEqual({ field: 'input_price' });
    expect(labelMeaning('Price per image')).toBeNull();
  });
});

describe('pricing cards flattened to text', () => {
  const cards = readTextCards(fixture('flattened-cards.txt'));
  const of = (model: string, condition = '') => cards.filter((c) => c.model === model && c.condition === condition).map((c) => [c.field, c.value]);

  it('reads a card of known labels, NBSP before the unit included', () => {
    expect(of('acme-9-turbo')).toEqual([['input_price', 2], ['output_price', 6]]);
  });

  it('claims a fine-tuning card with its condition, never as the base price, and not the training price', () => {
    expect(of('acme-9-turbo', 'fine_tuned')).toEqual([['input_price', 3], ['output_price', 9]]);
  });

  it('reads nothing under an image heading', () => {
    expect(cards.some((c) => c.model === 'acme-paint-2')).toBe(false);
  });

  it('reads nothing of a card with a label it does not know', () => {
    expect(readTextCards('ACME-9-MINI\n\nInput\n$0.20 / 1M tokens\nCached\n$0.10 / 1M tokens\n')).toEqual([]);
    expect(readTextCards('ACME-9-MINI\n\nInput\n$0.20 / 1M tokens\n')).toHaveLength(1);
  });
});

describe('rows that share one name', () => {
  const body = '| Model | Params | Context |\n| --- | --- | --- |\n| gpt-9 | 7B | 32k |\n| gpt-9 | 70B | 64k |\n| gpt-9-mini | 1B | 8k |\n';
  const result = extractPricingPage({ body, format: 'markdown', provider: 'openai' });

  it('are not read (which is which cannot be told), the others are, and the notes say so', () => {
    expect(result.claims.some((c) => c.model === 'openai/gpt-9')).toBe(false);
    expect(valuesOf(result.claims, 'openai/gpt-9-mini', 'context_window')).toEqual([8000]);
    expect(result.notes.join('\n')).toMatch(/stand on several rows/);
  });
});

describe('a table flattened into one run of text', () => {
  const figures = readFlattenedTables(fixture('flattened-table.txt'));
  const of = (model: string) => figures.filter((f) => f.model === model).map((f) => [f.field, f.value]);

  it('splits each name from its glued API id and reads the USD columns only', () => {
    expect(of('Acme 9B')).toEqual([['input_price', 0.3], ['output_price', 0.9]]);
    expect(of('Acme Large')).toEqual([['input_price', 4.5], ['output_price', 12]]);
    expect(figures.some((f) => f.value === 0.28 || f.value === 11)).toBe(false);
  });

  it('stops where the cells do not carry the currency their columns state', () => {
    expect(of('Acme Embed')).toEqual([]);
  });

  it('refuses a split it cannot make one way only', () => {
    expect(splitGluedId('Acme Smallacme-small-latest')).toEqual({ name: 'Acme Small', id: 'acme-small-latest' });
    expect(splitGluedId('Acme Smallzeta-small')).toBeNull();
  });
});

describe('a text table aligned with spaces or tabs', () => {
  const body = fixture('text-aligned-pricing.txt');
  const result = extractPricingPage({ body, format: 'text', provider: 'acme' });
  const id = (m: string) => result.claims.find((c) => c.model.endsWith(`/${m}`))?.model ?? '';

  it('reads capital headers and drops footnote markers from cells and headers', () => {
    expect(valuesOf(result.claims, id('acme-chat-4'), 'input_price')).toEqual([0.07]);
    expect(valuesOf(result.claims, id('acme-chat-4x'), 'output_price')).toEqual([2.19]);
    expect(valuesOf(result.claims, id('acme-chat-4'), 'max_output_tokens')).toEqual([8000]);
  });

  it('reads 64K cells as token counts', () => {
    expect(valuesOf(result.claims, id('acme-chat-4'), 'context_window')).toEqual([64000]);
    expect(valuesOf(result.claims, id('acme-chat-4x'), 'context_window')).toEqual([128000]);
  });

  it('reads a tab-separated table, its locator saying it was aligned text', () => {
    expect(valuesOf(result.claims, id('acme-mini-4'), 'output_price')).toEqual([0.08]);
    expect(result.claims.find((c) => c.model === id('acme-mini-4'))?.locator).toMatch(/text-aligned/);
  });

  it('ends a table at a line whose cells do not match the header', () => {
    const tables = parsePage(body.replace('acme-chat-4x', 'acme-odd   $1\nacme-chat-4x'), 'text').tables;
    expect(tables.map((t) => t.rows.map((r) => r[0]))).toEqual([['acme-chat-4'], ['acme-mini-4']]);
  });
});

describe('a figure behind a beta header', () => {
  const table = '| Feature | Claude Opus 9 | Claude Haiku 9 |\n| --- | --- | --- |\n| **Context window** | 200K / 1M (beta)1 | 200K |\n';
  const named = `${table}\n_1 - Claude Opus 9 supports a 1M token context window when using the \`context-1m-2026-01-01\` beta header._\n`;

  it('is claimed under beta:HEADER when the page names one header, never as the base figure', () => {
    const { claims } = extractGeneric({ body: named, format: 'markdown', provider: 'acme' });
    const opus = claims.filter((c) => c.model_name === 'Claude Opus 9' && c.field === 'context_window');
    expect(opus.map((c) => [c.condition, c.value]).sort()).toEqual([['', 200_000], ['beta:context-1m-2026-01-01', 1_000_000]]);
  });

  it('is not read when the page names no header, and the notes say so', () => {
    const result = extractGeneric({ body: table, format: 'markdown', provider: 'acme' });
    expect(result.claims.some((c) => c.model_name === 'Claude Opus 9' && c.field === 'context_window')).toBe(false);
    expect(result.notes.join('\n')).toMatch(/beta the page does not name/);
  });
});

describe('a context window stated under a model heading', () => {
  const body = '# Pricing\n\n## Gemini 9 Pro\n\nOur model with a 2 million token context window.\n\n## Gemini 9 Lite\n\nSupports a 128K token context window, or a 1M token context window in preview.\n\n## Tools\n\nAny call has a 32K token context window.\n';
  const { claims } = extractPricingPage({ body, format: 'markdown', provider: 'google' });
  const context = claims.filter((c) => c.field === 'context_window').map((c) => [c.model, c.value]);

  it('is the section model\'s, "million" spelled out included', () => {
    expect(context).toContainEqual(['google/gemini-9-pro', 2_000_000]);
  });

  it('is not read when the paragraph states two figures, or the heading names no model', () => {
    expect(context.some(([m]) => m === 'google/gemini-9-lite')).toBe(false);
    expect(context).toHaveLength(1);
  });
});

describe('key-value lines on a page about several models', () => {
  const body = `${fixture('single-model-notes.txt')}\n| Model | Input | Output |\n| --- | --- | --- |\n| gpt-9 | $1.00 | $4.00 |\n`;
  const result = extractPricingPage({ body, format: 'markdown' });

  it('are nobody\'s: the subject does not get them when the tables name other models', () => {
    expect(result.claims.some((c) => c.locator.includes('page subject'))).toBe(false);
    expect(result.notes.join('\n')).toMatch(/tables name other models/);
  });
});
