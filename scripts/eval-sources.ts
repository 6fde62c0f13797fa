/**
 * The shipped source files against real captures of their pages: for each source whose page
 * shape ../shared/corpus shows, extract that capture with the source's own extractor, provider
 * and route, and report the claims found, whether its expect rules hold, and (where
 * eval-pages/expected.tsv has the page) how many expected figures it finds and how many it gets
 * wrong. A wrong page (a negative capture) must fail the expect rules: that is how a redesign is
 * reported as drift. The captures stay in ../shared; nothing of them enters the project.
 *
 * `npm run eval:sources [-- --json]`. Exits 2 when the shared corpus is absent, 1 when a negative
 * capture passes a source's expect rules, else 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFormat, extractSnapshot, onRoute } from '../src/extract/registry.ts';
import { loadSources } from '../src/pipeline/sources.ts';
import type { SourceFormat } from '../src/schema/source.ts';
import { parseExpectedTsv, scoreClaims, type ExpectedRow } from './eval-pages.ts';

/** Which capture in ../shared/corpus shows which source's page; `negative`: a wrong page that must drift. */
const CAPTURES: Array<{ source: string; file: string; negative?: boolean; note?: string }> = [
  { source: 'openai-pricing', file: 'pages/openai-pricing_2025-09.md' },
  { source: 'openai-pricing', file: 'eval-pages/openai-pricing_2024.js', note: 'the 2024 page, flattened to text' },
  { source: 'anthropic-pricing', file: 'pages/anthropic-pricing_2025-07.md' },
  { source: 'anthropic-pricing', file: 'pages/anthropic-docs-home-NO-PRICES_2025-07.md', negative: true, note: 'the pricing URL resolved to the docs home' },
  { source: 'anthropic-models', file: 'eval-pages/anthropic-docs-models_2025-10.md' },
  { source: 'anthropic-models', file: 'pages/anthropic-models-overview_2025-07.md' },
  { source: 'gemini-pricing', file: 'eval-pages/gemini-pricing_2025-11.md' },
  { source: 'deepseek-pricing', file: 'pages/deepseek-pricing_2025-12.md' },
  { source: 'xai-models', file: 'eval-pages/xai-docs-models_2025-11.md' },
  { source: 'xai-models', file: 'eval-pages/xai-consumption-NO-PRICES.md', negative: true, note: 'a docs page with no figures' },
  { source: 'mistral-pricing', file: 'eval-pages/mistral-pricing_2024.js', note: "the 2024 docs pricing page, flattened to text" },
  { source: 'bedrock-pricing', file: 'eval-pages/bedrock-pricing-per1k_2025-07.md' },
  { source: 'perplexity-pricing', file: 'eval-pages/perplexity-pricing_2025.md' },
  { source: 'fireworks-deepseek-v3p2', file: 'eval-pages/fireworks-deepseek-v3p2.txt', note: 'notes taken from the page' },
  { source: 'hf-llama-3-1-8b-instruct', file: 'eval-pages/llama-3.1-8b-instruct-model-card.md' },
  { source: 'hf-gpt-oss-20b', file: 'pages/gpt-oss-20b-model-card.md' },
];

export interface CaptureReport {
  source: string;
  capture: string;
  declared_format: SourceFormat;
  capture_format: SourceFormat;
  extractor: string;
  claims: number;
  models: number;
  expect_rules: 'pass' | 'drift';
  drift: string[];
  negative: boolean;
  /** Against eval-pages/expected.tsv, where it lists the page: expected figures found, and claims for an expected key with another value. */
  expected?: { facts: number; found: number; wrong: number; wrong_examples: string[] };
  note?: string;
}

/** The format of the capture as saved: a page text inside a JS fixture is text. */
function captureFormat(file: string, body: string): SourceFormat {
  return file.endsWith('.js') ? 'text' : detectFormat(body, file);
}

/** eval-pages/expected.tsv's rows of pages that state figures, by page; none when the corpus lacks it. */
function readExpected(corpus: string): Map<string, ExpectedRow[]> {
  const tsv = path.join(corpus, 'eval-pages', 'expected.tsv');
  const byFile = new Map<string, ExpectedRow[]>();
  if (!existsSync(tsv)) return byFile;
  for (const row of parseExpectedTsv(readFileSync(tsv, 'utf8'))) if (row.model !== '-') byFile.set(row.file, [...(byFile.get(row.file) ?? []), row]);
  return byFile;
}

export function evaluateSources(repoRoot: string, corpus: string): CaptureReport[] {
  const sources = new Map(loadSources(path.join(repoRoot, 'sources')).map((s) => [s.id, s]));
  const expected = readExpected(corpus);
  return CAPTURES.map(({ source: id, file, negative = false, note }) => {
    const source = sources.get(id);
    if (!source) throw new Error(`eval:sources names ${id}, which sources/ does not hold`);
    const body = readFileSync(path.join(corpus, file), 'utf8');
    const format = captureFormat(file, body);
    // The capture as the source would read it, its route applied as a sync applies it.
    const result = onRoute(extractSnapshot({ body, format, source }), source.route);
    const usable = result.claims.filter((c) => !c.anomaly);
    const report: CaptureReport = {
      source: id,
      capture: file,
      declared_format: source.format,
      capture_format: format,
      extractor: source.extractor,
      claims: usable.length,
      models: new Set(usable.map((c) => c.model)).size,
      expect_rules: result.drift.length ? 'drift' : 'pass',
      drift: result.drift,
      negative,
      ...(note ? { note } : {}),
    };
    const listed = file.startsWith('eval-pages/') ? expected.get(path.basename(file)) : undefined;
    // expected.tsv states no routes: the page's own figures are compared, before the source's route.
    if (listed) {
      const scored = scoreClaims(file, extractSnapshot({ body, format, source }).claims, listed);
      report.expected = { facts: scored.expected, found: scored.found, wrong: scored.wrong.length, wrong_examples: scored.wrong.slice(0, 5) };
    }
    return report;
  });
}

function main(): void {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const corpus = path.resolve(repoRoot, '../shared/corpus');
  const json = process.argv.includes('--json');
  if (!existsSync(corpus)) {
    process.stderr.write(`eval:sources needs the shared corpus at ${corpus} (../shared next to the repository); it is not there.\n`);
    process.exit(2);
  }
  const reports = evaluateSources(repoRoot, corpus);
  const negativesPassing = reports.filter((r) => r.negative && r.expect_rules === 'pass');
  const positives = reports.filter((r) => !r.negative);
  const totals = {
    captures: reports.length,
    sources: new Set(reports.map((r) => r.source)).size,
    positives_passing: positives.filter((r) => r.expect_rules === 'pass').length,
    positives: positives.length,
    negatives_drifting: reports.filter((r) => r.negative && r.expect_rules === 'drift').length,
    negatives: reports.filter((r) => r.negative).length,
    expected_facts: reports.reduce((n, r) => n + (r.expected?.facts ?? 0), 0),
    expected_found: reports.reduce((n, r) => n + (r.expected?.found ?? 0), 0),
    wrong_figures: reports.reduce((n, r) => n + (r.expected?.wrong ?? 0), 0),
  };
  if (json) {
    process.stdout.write(JSON.stringify({ totals, captures: reports }, null, 2) + '\n');
  } else {
    for (const r of reports) {
      const rules = r.negative ? (r.expect_rules === 'drift' ? 'drift (as it must: wrong page)' : 'PASSES ON A WRONG PAGE') : r.expect_rules === 'pass' ? 'expect rules pass' : `DRIFT: ${r.drift.join('; ')}`;
      const vs = r.expected ? `  expected ${r.expected.found}/${r.expected.facts}, wrong ${r.expected.wrong}` : '';
      const formats = r.capture_format === r.declared_format ? r.capture_format : `${r.capture_format} (served as ${r.declared_format})`;
      process.stdout.write(`${r.source.padEnd(26)} ${r.capture.padEnd(52)} ${formats.padEnd(26)} ${String(r.claims).padStart(4)} claims ${String(r.models).padStart(3)} models  ${rules}${vs}\n`);
      for (const w of r.expected?.wrong_examples ?? []) process.stdout.write(`    wrong: ${w}\n`);
    }
    process.stdout.write(
      `\n${totals.positives_passing}/${totals.positives} captures pass their source's expect rules; ${totals.negatives_drifting}/${totals.negatives} wrong pages drift; ` +
        `expected figures found ${totals.expected_found}/${totals.expected_facts}, wrong ${totals.wrong_figures}\n`,
    );
  }
  process.exitCode = negativesPassing.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
