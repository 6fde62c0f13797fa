/**
 * Extraction cost against the bare parse it cannot avoid: the full OpenRouter and LiteLLM files
 * against JSON.parse alone, and page content against its bare parse. The corpus has no HTML pages,
 * so each markdown page's headings, paragraphs and tables are rendered here twice, as markdown and
 * as HTML, and both are measured on that same content: markdown against a bare remark parse
 * (`markdown_ratio`), HTML against a bare htmlparser2 parseDocument with the product's options
 * (`html_ratio`), and the one extraction against the other (`markdown_over_html`). The corpus pages
 * as they are, navigation noise included, are measured apart (`raw_markdown_*`). Times are medians
 * in ms; ratios are plain numbers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'htmlparser2';
import { extractDocument } from '../src/extract/registry.ts';
import { HTML_PARSER_OPTIONS, parseMarkdownTree, parsePage } from '../src/extract/tables.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared');

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => unknown, runs: number): number {
  fn(); // warm-up: the first run pays for compilation
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

type Page = ReturnType<typeof parsePage>;

/** An HTML page with the page's headings, paragraphs and tables, in order. */
function toHtml(page: Page): string {
  const parts = [`<html><head><title>${escape(page.title)}</title></head><body><main>`];
  for (const block of page.blocks) {
    if (block.kind === 'heading') parts.push(`<h2>${escape(block.text)}</h2>`);
    else if (block.kind !== 'code') parts.push(`<p>${escape(block.text)}</p>`);
  }
  for (const table of page.tables) {
    if (table.caption) parts.push(`<p>${escape(table.caption)}</p>`);
    const head = `<thead><tr>${table.headers.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead>`;
    const rows = table.rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('');
    parts.push(`<table>${head}<tbody>${rows}</tbody></table>`);
  }
  parts.push('</main></body></html>');
  return parts.join('\n');
}

/** The same content as toHtml, as markdown: a title, headings, paragraphs and GFM tables. */
function toMarkdown(page: Page): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const parts = [`# ${page.title}`];
  for (const block of page.blocks) {
    if (block.kind === 'heading') parts.push(`## ${block.text}`);
    else if (block.kind !== 'code') parts.push(block.text);
  }
  for (const table of page.tables) {
    if (table.caption) parts.push(table.caption);
    const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
    parts.push([row(table.headers), row(table.headers.map(() => '---')), ...table.rows.map(row)].join('\n'));
  }
  return parts.join('\n\n') + '\n';
}

export async function run(): Promise<Record<string, number | string>> {
  if (!existsSync(shared)) return { error: `shared corpus not found at ${shared}` };
  const figures: Record<string, number | string> = {};
  const read = (rel: string): string => readFileSync(path.join(shared, rel), 'utf8');

  for (const [name, rel] of [
    ['openrouter', 'corpus/openrouter/models_2026-07-17.json'],
    ['litellm', 'corpus/litellm/model_prices_2026-03-01.json'],
  ] as const) {
    const body = read(rel);
    const parse = time(() => JSON.parse(body), 15);
    let claims = 0;
    const extract = time(() => {
      claims = extractDocument(body, { filename: rel }).claims.length;
    }, 15);
    Object.assign(figures, {
      [`${name}_bytes`]: body.length,
      [`${name}_claims`]: claims,
      [`${name}_json_parse_ms`]: round(parse),
      [`${name}_extract_ms`]: round(extract),
      [`${name}_ratio`]: round(extract / parse, 1),
    });
  }

  const pagesDir = path.join(shared, 'corpus/pages');
  const pages = readdirSync(pagesDir).filter((f) => f.endsWith('.md')).map((f) => ({ f, body: readFileSync(path.join(pagesDir, f), 'utf8') }));
  const parsed = pages.map((p) => parsePage(p.body, 'markdown'));
  /** One format's figures over its documents: size, claims, bare parse, extraction, their ratio. */
  const measure = (prefix: string, parserName: string, docs: string[], parse: (doc: string) => unknown, options: (doc: string, i: number) => Parameters<typeof extractDocument>[1]) => {
    const parseMs = time(() => docs.forEach(parse), 20);
    const extractMs = time(() => docs.forEach((d, i) => extractDocument(d, options(d, i))), 20);
    Object.assign(figures, {
      [`${prefix}_pages`]: docs.length,
      [`${prefix}_bytes`]: docs.reduce((n, d) => n + d.length, 0),
      [`${prefix}_claims`]: docs.reduce((n, d, i) => n + extractDocument(d, options(d, i)).claims.length, 0),
      [`${prefix}_${parserName}_ms`]: round(parseMs),
      [`${prefix}_extract_ms`]: round(extractMs),
      [`${prefix}_ratio`]: round(extractMs / parseMs, 1),
    });
    return extractMs;
  };
  measure('raw_markdown', 'remark_parse', pages.map((p) => p.body), parseMarkdownTree, (_, i) => ({ filename: pages[i].f }));
  const markdown = measure('markdown', 'remark_parse', parsed.map(toMarkdown), parseMarkdownTree, () => ({ format: 'markdown' }));
  const html = measure('html', 'htmlparser2_parse', parsed.map(toHtml), (h) => parseDocument(h, HTML_PARSER_OPTIONS), () => ({ format: 'html' }));
  const seedsDir = path.join(shared, 'seeds');
  const seeds = readdirSync(seedsDir).map((f) => ({ f, body: readFileSync(path.join(seedsDir, f), 'utf8') }));
  const seedExtract = time(() => seeds.forEach((s) => extractDocument(s.body, { filename: s.f })), 20);

  Object.assign(figures, {
    markdown_over_html: round(markdown / html, 1),
    seeds_extract_ms: round(seedExtract),
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
  });
  return figures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
}
