import { describe, expect, it } from 'vitest';
import { extractPricingPage } from '../../src/extract/pricing.ts';

/**
 * Page shapes a probe wrote to find wrong figures (each read wrongly once). The rule they share: a
 * figure the page does not state in USD per token, for that model, field and condition, is no claim.
 */
const read = (body: string, format: 'markdown' | 'html' = 'markdown') =>
  extractPricingPage({ body, format, provider: 'acme' }).claims.map((c) => `${c.model} ${c.field} ${c.value}${c.condition ? ` [${c.condition}]` : ''}`);

const table = (rows: string[], header = '| Model | Input | Output |') => [header, header.replace(/[^|]+/g, '---'), ...rows].join('\n');

describe('price cells that state no single USD price per token', () => {
  it('reads no figure in another currency, a share, a range or a floor', () => {
    const claims = read(`# Pricing\n\n${table(['| Acme Large | €1.8 | 5.4 € |', '| Acme Small | CNY 4 | ¥16 |', '| Acme Mid | Starting at $0.80 | $0.40 - 0.80 |', '| Acme Max | $3.00 | 50% off |'])}\n`);
    expect(claims).toEqual(['acme/acme-max input_price 3']);
  });

  it('reads no figure priced per minute, image, character or request, nor under a basis in cents', () => {
    const perUnit = read(`# Pricing\n\n${table(['| Acme Whisper | $0.006 / minute | — |', '| Acme Voice | $15.00 / 1M characters | — |', '| Acme Image | $5.00 | $0.04 / image |'])}\n`);
    expect(perUnit).toEqual(['acme/acme-image input_price 5']);
    expect(read(`# Pricing\n\nPricing in cents per 1M tokens\n\n${table(['| Acme Mini | 20 | 40 |'])}\n`)).toEqual([]);
    expect(read(`# Pricing\n\nPrices per 1,000 characters.\n\n${table(['| Acme Text | $0.000125 | $0.000375 |'])}\n`)).toEqual([]);
  });

  it('reads no long-context tier whose label comes before its price, rather than swapping the two', () => {
    expect(read(`# Pricing\n\n${table(['| Acme Pro | $1.25 (over 200K: $2.50) | $10 |', '| Acme Flash | ≤200K: $0.30; >200K: $0.60 | $2.50 |'])}\n`)).toEqual([
      'acme/acme-pro output_price 10',
      'acme/acme-flash output_price 2.5',
    ]);
    // Google's own order, the label after its price, is read.
    expect(read(`# Pricing\n\n${table(['| Acme Pro | $1.25, prompts <= 200k tokens $2.50, prompts > 200k tokens | $10 |'])}\n`)).toEqual([
      'acme/acme-pro input_price 1.25',
      'acme/acme-pro input_price 2.5 [context>200000]',
      'acme/acme-pro output_price 10',
    ]);
  });

  it('reads a badge or a pointer after a name as no part of it', () => {
    const rows = table(['| acme-4-20241022 (latest) | $3 | $15 |', '| acme-4o (→ acme-4o-2024-08-06) | $2.50 | $10 |', '| Acme 4o mini (default) | $0.15 | $0.60 |']);
    expect(read(`# Pricing\n\n${rows}\n`).filter((c) => c.includes('input_price'))).toEqual([
      'acme/acme-4-20241022 input_price 3',
      'acme/acme-4o input_price 2.5',
      'acme/acme-4o-mini input_price 0.15',
    ]);
  });

  it('keeps "(Preview)" in a model\'s name: a preview is a model of its own, never merged with its release', () => {
    expect(read(`# Pricing\n\n${table(['| Acme Pro (Preview) | $1.25 | $10 |', '| Acme Lite (deprecated) | $0.10 | $0.40 |'])}\n`)).toEqual([
      'acme/acme-pro-preview input_price 1.25',
      'acme/acme-pro-preview output_price 10',
      'acme/acme-lite input_price 0.1',
      'acme/acme-lite output_price 0.4',
    ]);
  });

  it('lays out HTML header cells spanning columns, and reads no column a spanned label does not tell apart', () => {
    const html = `<html><body><h2>Pricing</h2>
<table><thead>
<tr><th rowspan="2">Model</th><th colspan="2">Input</th><th colspan="2">Output</th><th rowspan="2">Context window</th></tr>
<tr><th>Standard</th><th>Batch</th><th>Standard</th><th>Batch</th></tr>
</thead><tbody><tr><td>Acme Sonnet</td><td>$3</td><td>$1.50</td><td>$15</td><td>$7.50</td><td>200K</td></tr></tbody></table>
<table><tr><th>Model</th><th colspan="2">Input price</th><th>Output price</th></tr>
<tr><td>Acme Opus</td><td>$15</td><td>$18.75 (cache write)</td><td>$75</td></tr></table>
</body></html>`;
    const claims = read(html, 'html');
    // Before, the header stood one column short: Sonnet's batch input $1.50 was its output price.
    expect(claims).not.toContain('acme/acme-sonnet output_price 1.5');
    expect(claims).toContain('acme/acme-sonnet context_window 200000');
    expect(claims.filter((c) => c.startsWith('acme/acme-opus'))).toEqual(['acme/acme-opus output_price 75']);
  });

  it('reads no bare price of a table whose basis the page states where it cannot be tied to the table', () => {
    const rows = table(['| Acme 4o | $0.0025 | $0.01 |']);
    // A long note, a "rates" line, a heading two levels up: each says per 1K tokens, none is the table's own context.
    expect(read(`# Pricing\n\nAll prices below are listed in US dollars per 1,000 tokens and exclude any applicable taxes or fees.\n\n${rows}\n`)).toEqual([]);
    expect(read(`# Pricing\n\nRates per 1K tokens\n\n${rows}\n`)).toEqual([]);
    expect(read(`# Pricing\n\n## Pricing per 1K tokens\n\n${rows}\n\n### Batch\n\n${table(['| Acme 4o | $0.00125 | $0.005 |'])}\n`)).toEqual([
      'acme/acme-4o input_price 2.5',
      'acme/acme-4o output_price 10',
    ]);
    const html = '<html><body><h1>Pricing</h1><p>All prices are shown per 1,000 tokens.</p><div>Prices may change.</div><table><tr><th>Model</th><th>Input</th><th>Output</th></tr><tr><td>Acme 4o</td><td>$0.0025</td><td>$0.01</td></tr></table></body></html>';
    expect(read(html, 'html')).toEqual([]);
    // A page that states no other basis keeps the usual per 1M tokens.
    expect(read(`# Pricing\n\n${table(['| Acme 4o | $2.50 | $10 |'])}\n`)).toEqual(['acme/acme-4o input_price 2.5', 'acme/acme-4o output_price 10']);
  });

  it('reads the unit a row label or the corner cell states when models are the columns', () => {
    const byRow = `# Pricing\n\n| | GPT-4o | GPT-4o mini |\n|---|---|---|\n| Input price per 1K tokens | $0.0025 | $0.00015 |\n| Context window | 128K | 128K |\n`;
    expect(read(byRow)).toEqual(['openai/gpt-4o input_price 2.5', 'openai/gpt-4o-mini input_price 0.15', 'openai/gpt-4o context_window 128000', 'openai/gpt-4o-mini context_window 128000']);
    const byCorner = `# Pricing\n\n| Price per 1K tokens | GPT-4o | GPT-4o mini |\n|---|---|---|\n| Output | $0.01 | $0.0006 |\n`;
    expect(read(byCorner)).toEqual(['openai/gpt-4o output_price 10', 'openai/gpt-4o-mini output_price 0.6']);
  });

  it('reads key-value lines whose key qualifies the price as no base price, and a limit by its maximum', () => {
    const page = [
      '---', 'url: https://docs.acme.example/models/acme-chat-2', '---', '# acme-chat-2', '',
      '- Max output tokens: 4K default, 8K maximum',
      '- Pricing: input $0.27 / 1M tokens, output $1.10 / 1M tokens',
      '- Off-peak pricing: input $0.135 / 1M tokens, output $0.55 / 1M tokens',
      '- Long context pricing: input $2 / 1M tokens, output $8 / 1M tokens', '',
    ].join('\n');
    expect(read(page).sort()).toEqual(['acme/acme-chat-2 input_price 0.27', 'acme/acme-chat-2 max_output_tokens 8000', 'acme/acme-chat-2 output_price 1.1']);
    // The same limit in a table cell, either way round.
    const limits = table(['| Acme Chat | 4K default, 8K maximum |', '| Acme Pro | DEFAULT: 4K MAXIMUM: 16K |'], '| Model | Max output tokens |');
    expect(read(`# Models\n\n${limits}\n`)).toEqual(['acme/acme-chat max_output_tokens 8000', 'acme/acme-pro max_output_tokens 16000']);
  });

  it('reads sections of qualified prices as no base prices, and a tier a lead-in line or a tab in place names', () => {
    const rows = (input: string, output: string) => table([`| Acme 4o | ${input} | ${output} |`]);
    const sections = [
      `## Standard\n\n${rows('$2.50', '$10.00')}`,
      `## Long context (prompts over 128K tokens)\n\n${rows('$5.00', '$20.00')}`,
      `## Fine-tuned models\n\n${rows('$3.75', '$15.00')}`,
      `## Regional processing (EU data residency)\n\n${rows('$2.75', '$11.00')}`,
      `Batch API prices (50% off):\n\n${rows('$1.25', '$5.00')}`,
    ];
    expect(read(`# Pricing\n\n${sections.join('\n\n')}\n`)).toEqual([
      'acme/acme-4o input_price 2.5',
      'acme/acme-4o output_price 10',
      'acme/acme-4o batch_input_price 1.25',
      'acme/acme-4o batch_output_price 5',
    ]);
    const panel = (id: string, price: string) => `<div role="tabpanel" id="${id}"><table><tr><th>Model</th><th>Input</th></tr><tr><td>Acme 4o</td><td>${price}</td></tr></table></div>`;
    const tabs = `<html><body><h2>Text tokens</h2><div><button role="tab">Standard</button><button role="tab">Batch</button><button role="tab">Flex</button></div>${panel('a', '$2.00')}${panel('b', '$1.00')}${panel('c', '$1.10')}</body></html>`;
    expect(read(tabs, 'html')).toEqual(['acme/acme-4o input_price 2', 'acme/acme-4o batch_input_price 1', 'acme/acme-4o input_price 1.1 [tier:flex]']);
  });

  it('reads no price from a sentence that qualifies it, and a bare follow-up price only after a comparison word', async () => {
    const { extractGeneric } = await import('../../src/extract/aggregator.ts');
    const body = [
      '# GPT-4o vs Claude Sonnet 4', '',
      'GPT-4o costs $2.50/1M input tokens; image inputs are billed at $0.001275 per image.', '',
      'Claude Sonnet 4 costs $3/1M input tokens ($0.30 for cached reads).', '',
      'With the Batch API, GPT-4o costs $1.25/1M input tokens.', '',
      'GPT-4o costs $5 per million input tokens for prompts over 128K tokens.', '',
      'GPT-4o costs $10/1M output tokens versus $15/1M for Claude Sonnet 4.', '',
    ].join('\n');
    const claims = extractGeneric({ body, format: 'markdown' }).claims.map((c) => `${c.model} ${c.field} ${c.value}`);
    // The cached-reads and image sentences give nothing, their input prices with them: which figure a qualifier goes with, they do not say.
    expect(claims.sort()).toEqual(['anthropic/claude-sonnet-4 output_price 15', 'openai/gpt-4o output_price 10']);
    const hosted = [
      '# GPT-4o vs Llama 3.1 405B', '',
      'GPT-4o supports 16K tokens per response and a 128K context window.', '',
      'Llama 3.1 405B costs $3/1M input tokens on Together AI.', '',
      'Llama 3.1 405B costs $0.80 per 1M input tokens when quantized to FP8.', '',
    ].join('\n');
    expect(extractGeneric({ body: hosted, format: 'markdown' }).claims.map((c) => `${c.model} ${c.field} ${c.value}`)).toEqual(['openai/gpt-4o context_window 128000']);
  });

  it('reads no column of a markdown table whose header names it twice (the row telling them apart is a body row)', () => {
    const twoRows = table(['| | Standard | Batch | Standard | Batch |', '| Acme 4o | $2.50 | $1.25 | $10.00 | $5.00 |'], '| Model | Input | Input | Output | Output |');
    expect(read(`# Pricing\n\n${twoRows}\n`)).toEqual([]);
  });

  it('reads a figure without its <sup> footnote marker, in HTML and in markdown', () => {
    const html = '<html><body><h2>Pricing</h2><table><tr><th>Model</th><th>Context window</th><th>Input</th><th>Output</th></tr>' +
      '<tr><td>Acme 4</td><td>1047576<sup>1</sup></td><td>$2<sup>3</sup></td><td>$10<a href="#fn1"><sup>4</sup></a></td></tr></table></body></html>';
    expect(read(html, 'html')).toEqual(['acme/acme-4 context_window 1047576', 'acme/acme-4 input_price 2', 'acme/acme-4 output_price 10']);
    expect(read(`# Pricing\n\n${table(['| Acme 4 | $2.00<sup>2</sup> | $8.00 |'])}\n`)).toEqual(['acme/acme-4 input_price 2', 'acme/acme-4 output_price 8']);
  });

  it('reads no price from a token count under an Input header, a combined price, or a currency stated beside the table', () => {
    expect(read(`# Limits\n\n${table(['| Acme 4o | 128K | 16K |', '| Acme Pro | 1,048,576 | 65,536 |'])}\n`)).toEqual([]);
    expect(read(`# Pricing\n\n${table(['| Acme o1 | $15 (input + output) | — |'])}\n`)).toEqual([]);
    expect(read(`# Pricing\n\n## Pricing (CNY per 1M tokens)\n\n${table(['| Acme Chat | 2 | 8 |'])}\n`)).toEqual([]);
    expect(read(`# Pricing\n\nAll prices are in euros (EUR) per million tokens.\n\n## Models\n\n${table(['| Acme Large | 1.8 | 5.4 |'])}\n`)).toEqual([]);
    expect(read(`# Pricing\n\n${table(['| Acme Large | EUR | 1.8 | 5.4 |', '| Acme 4o | USD | 2.5 | 10 |'], '| Model | Currency | Input | Output |')}\n`)).toEqual([]);
  });

  it('reads an input limit as max_input_tokens, a units row as part of the header, and no price per another number of tokens', () => {
    expect(read(`# Models\n\n${table(['| Acme 5 | 400,000 | 272,000 |'], '| Model | Context window | Max input tokens |')}\n`)).toEqual([
      'acme/acme-5 context_window 400000',
      'acme/acme-5 max_input_tokens 272000',
    ]);
    // Under "$/1K tokens" in a row below the header, 0.00125 is no price per 1M tokens.
    expect(read(`# Pricing\n\n${table(['| | $/1K tokens | $/1K tokens |', '| Acme Haiku | 0.00025 | 0.00125 |'])}\n`)).not.toContain('acme/acme-haiku output_price 0.00125');
    expect(read(`# Pricing\n\n${table(['| Acme Mini | $0.015 per 100K tokens | $8 per 10M tokens |'])}\n`)).toEqual([]);
  });

  it("reads a Provider column naming a host as that host's route, naming the vendor as the model's own", () => {
    const rows = table(['| Llama 3.1 70B | Groq | $0.59 | $0.79 |', '| Llama 3.1 8B | Meta | $0.05 | $0.08 |', '| Acme X | Groq | $1 | $2 |', '| Llama 3.1 405B | Together AI | $3.50 | — |'], '| Model | Provider | Input | Output |');
    // Acme X's vendor is not known, so whether Groq is its vendor or its host the page does not say.
    expect(read(`# Pricing\n\n${rows}\n`)).toEqual([
      'meta-llama/llama-3.1-70b input_price 0.59 [route:groq]',
      'meta-llama/llama-3.1-70b output_price 0.79 [route:groq]',
      'meta-llama/llama-3.1-8b input_price 0.05',
      'meta-llama/llama-3.1-8b output_price 0.08',
      // Under the name LiteLLM and models.dev give the platform, so their route claims meet on one key.
      'meta-llama/llama-3.1-405b input_price 3.5 [route:together_ai]',
    ]);
  });
});

