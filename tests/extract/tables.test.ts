import { describe, expect, it } from 'vitest';
import { extractGeneric } from '../../src/extract/aggregator.ts';
import { extractPricingPage } from '../../src/extract/pricing.ts';
import { parseMarkdownTree, parsePage, repairRows, scanLineTables } from '../../src/extract/tables.ts';

describe('scanLineTables', () => {
  it('cuts prose glued before a header, by the separator\'s column count', () => {
    const [t] = scanLineTables(['Local evidence first| Signal | A | B |', '|---|---|---|', '| Context window | 128k | — |', 'after']);
    expect(t.prefix).toBe('Local evidence first');
    expect(t.table.headers).toEqual(['Signal', 'A', 'B']);
    expect(t.table.rows).toEqual([['Context window', '128k', '—']]);
    expect(t.end).toBe(2);
  });

  it('keeps empty header cells', () => {
    const [t] = scanLineTables(['| Specification | ||', '|---|---|---|', '| Released | 2024-10-01 | 2025-12-18 |']);
    expect(t.table.headers).toEqual(['Specification', '', '']);
  });
});

describe('repairRows', () => {
  it('splits at a repeated header, returns long single cells as prose, and re-joins wrapped cells', () => {
    const { runs, prose } = repairRows({
      headers: ['MODEL', 'a-1', 'b-2'],
      rows: [['MAX OUTPUT', 'DEFAULT: 4K'], ['MAXIMUM: 8K', 'DEFAULT: 32K'], ['MAXIMUM: 64K'], ['Model', 'x', 'y'], ['---', '---', '---'], ['m', '1', '2'], ['This footnote line is long enough to be prose rather than a table row, surely.']],
      rowText: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'],
      lines: [1, 2, 3, 4, 5, 6, 7],
    });
    expect(runs[0].rows).toEqual([['MAX OUTPUT', 'DEFAULT: 4K MAXIMUM: 8K', 'DEFAULT: 32K MAXIMUM: 64K']]);
    expect(runs[1].headers).toEqual(['Model', 'x', 'y']);
    expect(runs[1].rows).toEqual([['m', '1', '2']]);
    expect(prose.map((p) => p.line)).toEqual([7]);
  });
});

describe('navigation noise and rendering garbage', () => {
  const body = [
    '---',
    'url: https://docs.example.test/en/docs/about-claude/pricing',
    'title: Pricing - Example',
    '---',
    '* [Models overview](https://docs.example.test/models)',
    '* [Pricing](https://docs.example.test/pricing)',
    'Search...',
    '⌘K',
    '# Pricing',
    '  * Using Claude Sonnet 4 at 3/MTokinput,3/MTok input, 3/MTokinput,15/MTok output',
    '  * Total cost: ~$22.20 per 10,000 tickets',
    '  * Processing cost: ~$0.003 per request',
    'Model| Tool choice| Tool use system prompt token count  ',
    '---|---|---  ',
    'Claude Opus 4| `auto`, `none``any`, `tool`| 346 tokens313 tokens  ',
  ].join('\n');

  it('yields no claims from docs chrome, worked examples or a token-count table', () => {
    expect(extractPricingPage({ body, format: 'markdown' }).claims).toEqual([]);
    expect(extractGeneric({ body, format: 'markdown' }).claims).toEqual([]);
  });

  it('finds the front-matter title', () => {
    expect(parsePage(body, 'markdown').title).toBe('Pricing - Example');
  });
});

describe('a big markdown table', () => {
  /** A page around a `rows`-row table: front matter, tab label, decorated cells, a repeated header, prose and a small table after. */
  function bigPage(rows: number, eol = '\n'): string {
    const body = Array.from({ length: rows }, (_, i) =>
      i === 150 ? '| Model | Input | Output |\n|---|---|---|' : `| **Nimbus-${i}** [Turbo](https://acme.example/${i}) | $${(1 + (i % 9)).toFixed(2)} | \`$${i % 50}.00\` a\\|b |`,
    );
    return [
      '---', 'title: Acme pricing', '---', '# Acme API pricing', '', 'Batch', '| Model | Input | Output |', '|---|---|---|', ...body, '',
      'Prices are per 1M tokens.', '', '```', '| not | a table |', '|---|---|', '```', '', '## Flex', '', '| Model | Input |', '|---|---|', '| Small | $1 |', '',
    ].join('\n').replaceAll('\n', eol);
  }

  it('reads a table of many rows line by line into the same page remark reads', () => {
    for (const eol of ['\n', '\r\n']) {
      const page = bigPage(400, eol);
      const byRemark = parsePage(page, 'markdown', { lineReadRows: Infinity });
      const byLines = parsePage(page, 'markdown', { lineReadRows: 100 });
      // The tab's table, split at its repeated header; the code block's (as before); the Flex table.
      expect(byRemark.tables.map((t) => [t.caption, t.rows.length])).toEqual([['Batch', 150], ['', 249], ['```', 0], ['Flex', 1]]);
      expect(byLines).toEqual(byRemark);
    }
  });

  it('leaves a table in a code block, and a small table, to remark', () => {
    const page = ['```', '| a | b |', '|---|---|', ...Array.from({ length: 5 }, () => '| x | y |'), '```', ''].join('\n');
    expect(parsePage(page, 'markdown', { lineReadRows: 2 })).toEqual(parsePage(page, 'markdown', { lineReadRows: Infinity }));
  });
});

describe('HTML pages: what is never content', () => {
  const page = [
    '<html><body><header><h1>Site name</h1><table><tr><th>Model</th><th>Input</th></tr><tr><td>Menu</td><td>$9</td></tr></table></header>',
    '<h2>API prices</h2>',
    '<nav><table><tr><th>Model</th><th>Input</th></tr><tr><td>Nav row</td><td>$8</td></tr></table></nav>',
    '<div aria-hidden="true"><p>Hidden note</p><table><tr><th>Model</th><th>Input</th></tr></table></div>',
    '<div role="navigation"><p>Menu note</p></div>',
    '<script>document.write("<table><tr><td>scripted</td></tr></table>")</script><svg><text>Icon label</text></svg>',
    '<table><thead><tr><th>Model</th><th>Input</th></tr></thead><tbody><tr><td>GPT-5.2</td><td>$1.75</td></tr></tbody></table>',
    '<p>Prices <!-- a comment --> per 1M tokens.</p>',
    '<footer><p>Footer note</p><table><tr><th>Model</th><th>Input</th></tr></table></footer></body></html>',
  ].join('\n');
  const parsed = parsePage(page, 'html');

  it('reads only the tables outside navigation, headers, footers, hidden parts and scripts', () => {
    expect(parsed.tables.map((t) => [t.index, t.headers, t.rows])).toEqual([[0, ['Model', 'Input'], [['GPT-5.2', '$1.75']]]]);
    expect(parsed.tables[0].heading).toBe('API prices');
  });

  it('keeps no text block from them, and the heading inside a page header is not its title', () => {
    expect(parsed.blocks.map((b) => b.text)).toEqual(['API prices', 'Prices per 1M tokens.']);
    expect(parsed.title).toBe('');
  });
});

describe('HTML pages: character references', () => {
  // The parser leaves references as written (its fast path); the reader decodes what it keeps.
  const page = [
    '<html><head><title>GPT&#8209;5 &amp; Claude &mdash; API pricing</title></head><body>',
    '<div role="tab&#112;anel" aria-label="Batch &amp; Flex"><table>',
    '<tr><th>Model</th><th>Input&nbsp;price</th></tr>',
    '<tr><td rowspan="&#50;">GPT&#x2011;5 &lt;mini&gt;</td><td>&dollar;1.25 &copy &amp;amp;</td></tr>',
    '<tr><td>$2</td></tr></table></div>',
    '<p>Context&nbsp;window: 400,000&#160;tokens</p><pre>a &lt;b&gt;  c</pre>',
    '<button id="t&#49;">Standard &amp; Co</button>',
    '<div role="tabpanel" aria-labelledby="t&#x31;"><table><tr><th>M</th><th>P</th></tr><tr><td>A</td><td>$1</td></tr></table></div>',
    '<div aria-hidden="tr&#117;e"><p>Hidden note</p></div></body></html>',
  ].join('\n');
  const parsed = parsePage(page, 'html');

  it('decodes them in cells, blocks, titles and preformatted text', () => {
    expect(parsed.title).toBe('GPT\u20115 & Claude \u2014 API pricing');
    expect(parsed.tables[0].headers).toEqual(['Model', 'Input price']);
    expect(parsed.tables[0].rows[0]).toEqual(['GPT\u20115 <mini>', '$1.25 \u00a9 &amp;']);
    expect(parsed.blocks.map((b) => b.text)).toEqual(['Context window: 400,000 tokens', 'a <b>  c']);
  });

  it('decodes them in the attributes it reads: spans, panel roles and labels, the labelling tab, hidden parts', () => {
    expect(parsed.tables[0].rows[1]).toEqual(['GPT\u20115 <mini>', '$2']);
    expect(parsed.tables[0].caption).toBe('Batch & Flex');
    expect(parsed.tables[1].caption).toBe('Standard & Co');
  });
});

describe('markdown as GFM without literal autolinks', () => {
  const types = (markdown: string): string[] => {
    const seen: string[] = [];
    const walk = (n: { type: string; children?: unknown[] }) => {
      seen.push(n.type);
      for (const c of n.children ?? []) walk(c as { type: string; children?: unknown[] });
    };
    walk(parseMarkdownTree(markdown));
    return seen;
  };

  it('reads tables, strikethrough, footnotes and task lists, and leaves a bare URL as text', () => {
    expect(types('| a | b |\n|---|---|\n| 1 | 2 |\n')).toContain('tableCell');
    expect(types('Input ~~$3.00~~ $2.50\n')).toContain('delete');
    expect(types('Price[^1]\n\n[^1]: per 1M tokens\n')).toEqual(expect.arrayContaining(['footnoteReference', 'footnoteDefinition']));
    expect(types('- [x] batch\n')).toContain('listItem');
    // A literal autolink search was quadratic in a line's length after an unmatched "[".
    const line = 'see https://example.com/models [' + '"a": 1, '.repeat(50) + ' and www.example.com';
    expect(types(line)).not.toContain('link');
    expect(types('[GPT-5.2](https://example.com/gpt-5.2) and <https://example.com>')).toEqual(expect.arrayContaining(['link']));
  });
});

describe('a row with more cells than its table has columns', () => {
  const page = '|Model|Input|Output|\n|---|---|---|\n|acme-1 | preview|$3.00|$4.00|\n|acme-2|$1.00|$2.00|\n|acme-3|$5.00|$6.00| |\n';

  it('is not read, in markdown or text, and is noted with its line; an empty extra cell is no overflow', () => {
    for (const format of ['markdown', 'text'] as const) {
      const read = parsePage(page, format);
      expect(read.tables[0].rows.map((r) => r[0]), format).toEqual(['acme-2', 'acme-3']);
      expect(read.notes, format).toEqual([expect.stringMatching(/^line 3: a row with more cells than the table's 3 columns/)]);
    }
  });
});
