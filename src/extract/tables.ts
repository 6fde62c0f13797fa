/**
 * One page model for every text format: the tables (headers, rows, where they are, what heading or
 * tab label precedes them) and the prose blocks, from markdown (remark + GFM tables), HTML (htmlparser2) or
 * plain text as extracted from the web (pipe tables read line by line, even mid-line).
 */
// htmlparser2, the parser under cheerio/slim, read through domutils: the page is read for its
// tables and blocks, so no selector engine or wrapper object is needed per cell.
import { DomHandler, type AnyNode, type Document, type Element } from 'domhandler';
import { findAll, findOne, getElementsByTagName, textContent } from 'domutils';
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import type { Root, RootContent, Table as MdTable } from 'mdast';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { parse as parseYaml } from 'yaml';
import type { SourceFormat } from '../schema/source.ts';

export interface Table {
  /** Position among the page's tables, from 0. */
  index: number;
  headers: string[];
  rows: string[][];
  /** Each row's source text where the format keeps it (text, markdown); else its cells joined. */
  rowText: string[];
  /** "table[2] line 40": stable base for cell locators. */
  locator: string;
  /** Nearest heading above the table. */
  heading: string;
  /** Nearest short text above the table (a tab label such as "Batch", a caption). */
  caption: string;
  /** The short texts between the previous table and this one, nearest last ("Image tokens", "Batch"). */
  context: string[];
}

export interface TextBlock {
  text: string;
  /** "line 12" (text, markdown) or "p[3]" (HTML). */
  locator: string;
  kind: 'heading' | 'paragraph' | 'list' | 'code';
  /** Code blocks keep their info string ("json") here. */
  lang?: string;
}

export interface Page {
  /** What the reading refused and why (a malformed table), for the extractor's notes. */
  notes?: string[];
  title: string;
  frontMatter: Record<string, unknown>;
  tables: Table[];
  blocks: TextBlock[];
}

/** "table[2] line 40 row[1] col[3] (Input price / GPT-5.2 Codex)"; `column` names an unnamed header. */
export function cellLocator(table: Table, row: number, col: number, column = table.headers[col] ?? ''): string {
  const label = table.rows[row]?.[0] ?? '';
  return `${table.locator} row[${row + 1}] col[${col + 1}] (${label} / ${column})`;
}

// ---------------------------------------------------------------- shared text cleanup

/** Cell text without markdown decoration: **bold**, `code`, [text](url), images, <br>. */
/** A footnote marker written as HTML in markdown ("$2.00<sup>2</sup>"): no digit of the figure. */
const SUP = /<sup>[^<]*<\/sup>/gi;

export function cleanCellText(text: string): string {
  return text
    .replace(SUP, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\(<?[^)>]*>?\)/g, '$1')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

export function splitFrontMatter(body: string): { frontMatter: Record<string, unknown>; rest: string; offsetLines: number } {
  const m = body.match(FRONT_MATTER);
  if (!m) return { frontMatter: {}, rest: body, offsetLines: 0 };
  let frontMatter: Record<string, unknown> = {};
  try {
    const parsed = parseYaml(m[1]);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) frontMatter = parsed as Record<string, unknown>;
  } catch {
    frontMatter = {};
  }
  return { frontMatter, rest: body.slice(m[0].length), offsetLines: m[0].split('\n').length - 1 };
}

// ---------------------------------------------------------------- plain-text pipe tables

const SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;

export function splitPipeRow(line: string): string[] {
  let t = line.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|')) t = t.slice(0, -1);
  return t.split(/(?<!\\)\|/).map((c) => cleanCellText(c.replace(/\\\|/g, '|')));
}

function columnCount(separator: string): number {
  return splitPipeRow(separator).length;
}

interface LineTable {
  start: number;
  end: number;
  table: Pick<Table, 'headers' | 'rows' | 'rowText'>;
  /** Text before the header's first pipe ("Local evidence first| Signal | ..."). */
  prefix: string;
  /** Columns aligned by tabs or spaces, not pipes. */
  aligned?: boolean;
}

/**
 * Pipe tables in text lines. The header may start mid-line after prose glued to it; the separator's
 * column count says how many header cells are real, so glued prose is cut off.
 */
export function scanLineTables(lines: readonly string[], refused: string[] = []): LineTable[] {
  const found: LineTable[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!SEPARATOR.test(lines[i]) || !lines[i].includes('-') || !lines[i - 1].includes('|')) continue;
    const width = columnCount(lines[i]);
    let headerLine = lines[i - 1];
    let prefix = '';
    let headers = splitPipeRow(headerLine);
    // A header that opens with a pipe has no glued prose to cut: when its cells and the delimiter's
    // disagree, which column is which cannot be known, and the table is not read at all.
    if (headers.length !== width && headerLine.trimStart().startsWith('|')) {
      refused.push(`line ${i}: a table whose header has ${headers.length} cells and whose delimiter row has ${width}: columns cannot be aligned, not read`);
      continue;
    }
    if (headers.length > width && headerLine.includes('|')) {
      const cut = headers.length - width;
      const pieces = headerLine.split('|');
      prefix = pieces.slice(0, cut).join('|').trim();
      headerLine = pieces.slice(cut).join('|');
      headers = splitPipeRow(headerLine);
    }
    const rows: string[][] = [];
    const rowText: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j].includes('|') && !SEPARATOR.test(lines[j + 1] ?? ''); j++) {
      rows.push(splitPipeRow(lines[j]));
      rowText.push(lines[j].trim());
    }
    found.push({ start: i - 1, end: j - 1, prefix, table: { headers, rows, rowText } });
    i = j - 1;
  }
  return found;
}

function isShortLabel(text: string): boolean {
  return text.length > 0 && text.length <= 80;
}

// A footnote marker glued to a cell: "$0.07(5)", "MAX OUTPUT TOKENS(3)", "128K¹".
const FOOTNOTE = /(?<=[\w$.%])(?:\(\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)$/;

function alignedCells(line: string): string[] {
  const t = line.trim();
  return t
    .split(t.includes('\t') ? /\t+/ : /\s{2,}/)
    .map((c) => cleanCellText(c).replace(FOOTNOTE, '').trim());
}

/**
 * Tables whose columns are aligned with tabs or runs of spaces ("MODEL   INPUT   OUTPUT"): a header
 * of words and at least one row, every line with the header's number of cells (three or more). A
 * line with another count ends the table: its cells cannot be placed under the header.
 */
export function scanAlignedTables(lines: readonly string[], taken: ReadonlySet<number>): LineTable[] {
  const found: LineTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (taken.has(i) || !/\t|\S\s{2,}\S/.test(lines[i].trim())) continue;
    const headers = alignedCells(lines[i]);
    if (headers.length < 3 || headers.some((h) => !h || /\$\s*\d|^\d/.test(h))) continue;
    let j = i + 1;
    while (j < lines.length && !taken.has(j) && lines[j].trim() && alignedCells(lines[j]).length === headers.length) j++;
    if (j - i < 2) continue;
    const rows = lines.slice(i + 1, j).map(alignedCells);
    found.push({ start: i, end: j - 1, prefix: '', table: { headers, rows, rowText: lines.slice(i + 1, j).map((l) => l.trim()) }, aligned: true });
    i = j - 1;
  }
  return found;
}

function parseText(body: string): Page {
  const lines = body.split(/\r?\n/);
  const refused: string[] = [];
  const piped = scanLineTables(lines, refused);
  const pipedLines = new Set<number>();
  for (const t of piped) for (let l = t.start; l <= t.end; l++) pipedLines.add(l);
  const scanned = [...piped, ...scanAlignedTables(lines, pipedLines)].sort((a, b) => a.start - b.start);
  const inTable = new Set<number>();
  for (const t of scanned) for (let l = t.start; l <= t.end; l++) inTable.add(l);
  const blocks: TextBlock[] = [];
  lines.forEach((line, i) => {
    if (!inTable.has(i) && line.trim()) blocks.push({ text: line.trim(), locator: `line ${i + 1}`, kind: 'paragraph' });
  });
  const tables = scanned.map((t, index): Table => {
    const from = index > 0 ? scanned[index - 1].end + 1 : 0;
    const context = lines.slice(Math.max(from, t.start - 5), t.start).map((l) => l.trim()).filter(isShortLabel);
    if (t.prefix) context.push(t.prefix);
    const caption = context[context.length - 1] ?? '';
    const table = t.aligned ? t.table : readableRows(t.table, (i) => t.start + 3 + i, refused);
    return { ...table, index, locator: `table[${index}] line ${t.start + 1}${t.aligned ? ' (text-aligned)' : ''}`, heading: caption, caption, context };
  });
  const title = lines.find((l) => l.trim())?.trim() ?? '';
  return { title, frontMatter: {}, tables, blocks, notes: refused };
}

// ---------------------------------------------------------------- markdown

/**
 * GFM as remark-gfm reads it (tables, strikethrough, footnotes, task lists) but without its
 * literal autolinks: a bare URL is text either way to a reader of figures, and finding them costs
 * time quadratic in a line's length after an unmatched "[" (a 128 KB JSON dump read as markdown:
 * 3.7 s against 0.18 s; 2.4 MB took 50 s).
 */
function remarkGfmWithoutAutolinks(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
}

const markdownParser = unified().use(remarkParse).use(remarkGfmWithoutAutolinks);

export function parseMarkdownTree(markdown: string): Root {
  return markdownParser.parse(markdown) as Root;
}

/** Plain text of an mdast node (no decoration). */
export function nodeText(node: unknown): string {
  const n = node as { type?: string; value?: string; alt?: string; children?: unknown[] };
  if (n.type === 'image') return '';
  if (typeof n.value === 'string') return n.value;
  if (Array.isArray(n.children)) return n.children.map(nodeText).join(n.type === 'list' ? '\n' : '');
  return '';
}

/**
 * From this many rows a top-level pipe table is read line by line instead of by remark: micromark
 * builds a token per cell and delimiter, so a 20,000-row table cost ~10 s and a gigabyte. Read
 * either way, such a table yields the same Table (tests/extract/tables.test.ts compares them).
 */
export const LINE_READ_ROWS = 1000;

/** A comment is an HTML block, which ends a paragraph: it stands in for a table read line by line. */
const PLACEHOLDER = /^<!--model-ledger-line-table:(\d+)-->$/;

/** Lines inside fenced code blocks: a pipe table there is code, not a table. */
function fencedLines(lines: readonly string[]): Set<number> {
  const inside = new Set<number>();
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const marker = line.match(/^ {0,3}(`{3,}|~{3,})/)?.[1];
    if (fence === null) {
      if (marker) fence = marker;
      return;
    }
    inside.add(i);
    if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
  });
  return inside;
}

/**
 * The big top-level pipe tables of a markdown body, and the body with each replaced by a one-line
 * placeholder and blank lines (so remark's line numbers stay those of the body).
 */
function lineReadTables(markdown: string, minRows: number): { text: string; tables: LineTable[] } {
  if (!Number.isFinite(minRows)) return { text: markdown, tables: [] };
  const lines = markdown.split('\n');
  const fenced = fencedLines(lines);
  // GFM reads a header and separator right below a table's last row as two more rows of it
  // (repairRows splits there); the line scan starts a new table: join them back.
  const joined: LineTable[] = [];
  for (const t of scanLineTables(lines)) {
    const last = joined[joined.length - 1];
    if (last && !t.prefix && t.start === last.end + 1) {
      const extra = [lines[t.start], lines[t.start + 1]];
      last.table = {
        headers: last.table.headers,
        rows: [...last.table.rows, ...extra.map(splitPipeRow), ...t.table.rows],
        rowText: [...last.table.rowText, ...extra.map((l) => l.trim()), ...t.table.rowText],
      };
      last.end = t.end;
    } else joined.push({ ...t });
  }
  const tables = joined.filter(
    (t) => t.table.rows.length >= minRows && !t.prefix && /^\|/.test(lines[t.start]) && !fenced.has(t.start) && (t.start === 0 || !lines[t.start - 1].trim().startsWith('|')),
  );
  if (tables.length === 0) return { text: markdown, tables };
  tables.forEach((t, i) => {
    const cr = (l: string) => (l.endsWith('\r') ? '\r' : '');
    lines[t.start] = `<!--model-ledger-line-table:${i}-->${cr(lines[t.start])}`;
    for (let l = t.start + 1; l <= t.end; l++) lines[l] = cr(lines[l]);
  });
  return { text: lines.join('\n'), tables };
}

function parseMarkdown(body: string, lineReadRows = LINE_READ_ROWS): Page {
  const { frontMatter, rest, offsetLines } = splitFrontMatter(body);
  const bigTables = lineReadTables(rest, lineReadRows);
  const tree = parseMarkdownTree(bigTables.text);
  const tables: Table[] = [];
  const blocks: TextBlock[] = [];
  const covered: Array<[number, number]> = [];
  /** Rows of the tables read here that could not be read, with their line in the page. */
  const unread: string[] = [];
  let heading = '';
  let context: string[] = [];
  const lineOf = (node: { position?: { start: { line: number } } }): number => (node.position?.start.line ?? 0) + offsetLines;

  const visit = (node: RootContent): void => {
    const placeholder = node.type === 'html' ? node.value.trim().match(PLACEHOLDER) : null;
    if (placeholder) {
      const t = bigTables.tables[Number(placeholder[1])];
      const lineNumbers = t.table.rows.map((_, i) => t.start + 3 + i + offsetLines);
      const found = tablesOfRun({ headers: t.table.headers, rows: t.table.rows, rowText: t.table.rowText, lines: lineNumbers }, t.start + 1 + offsetLines, heading, context, unread);
      tables.push(...found.tables);
      blocks.push(...found.prose);
      context = [];
      covered.push([t.start + 1, t.end + 1]);
      return;
    }
    if (node.type === 'table') {
      const found = markdownTables(node, bigTables.text, offsetLines, heading, context, unread);
      tables.push(...found.tables);
      blocks.push(...found.prose);
      context = [];
      covered.push([node.position?.start.line ?? 0, node.position?.end.line ?? 0]);
      return;
    }
    const text = nodeText(node).replace(/\s+/g, ' ').trim();
    if (node.type === 'heading') {
      heading = text;
      if (text) context.push(text);
      blocks.push({ text, locator: `line ${lineOf(node)}`, kind: 'heading' });
    } else if (node.type === 'paragraph') {
      if (isShortLabel(text)) context.push(text);
      if (text) blocks.push({ text, locator: `line ${lineOf(node)}`, kind: 'paragraph' });
    } else if (node.type === 'list' || node.type === 'blockquote') {
      for (const child of node.children) {
        if (child.type === 'listItem') {
          for (const inner of child.children) visit(inner);
        } else visit(child as RootContent);
      }
    } else if (node.type === 'code') {
      blocks.push({ text: node.value, locator: `line ${lineOf(node)}`, kind: 'code', lang: node.lang ?? undefined });
    } else if (node.type === 'html' && /<table[\s>]/i.test(node.value)) {
      // An HTML table in a markdown card (model cards keep their spec tables as HTML).
      for (const t of parseHtml(node.value).tables) {
        tables.push({ ...t, locator: `table[0] line ${lineOf(node)} (html)`, heading, caption: context[context.length - 1] ?? '', context: context.slice(-6) });
      }
      covered.push([node.position?.start.line ?? 0, node.position?.end.line ?? 0]);
      context = [];
    } else if (node.type === 'html' && text) {
      blocks.push({ text, locator: `line ${lineOf(node)}`, kind: 'paragraph' });
    }
  };
  for (const node of tree.children) visit(node);

  // Pipe tables GFM rejects (glued prose before the header) are still tables to a reader.
  const lines = rest.split(/\r?\n/);
  const refused: string[] = [];
  for (const t of scanLineTables(lines, refused)) {
    const line = t.start + 1;
    if (covered.some(([a, b]) => line >= a && line <= b)) continue;
    const context = lines.slice(Math.max(0, t.start - 3), t.start).map((l) => l.trim()).filter(isShortLabel);
    if (t.prefix) context.push(t.prefix);
    const label = context[context.length - 1] ?? '';
    tables.push({ ...readableRows(t.table, (i) => t.start + 3 + i + offsetLines, unread), index: tables.length, locator: `table[${tables.length}] line ${line + offsetLines}`, heading: label, caption: label, context });
  }
  tables.sort((a, b) => lineNumber(a.locator) - lineNumber(b.locator));
  tables.forEach((t, i) => {
    t.index = i;
    t.locator = t.locator.replace(/^table\[\d+\]/, `table[${i}]`);
  });
  const firstLine = rest.split(/\r?\n/).find((l) => l.trim())?.replace(/^#+\s*/, '').trim() ?? '';
  const title = typeof frontMatter.title === 'string' ? frontMatter.title : firstLine;
  const notes = [...refused.map((n) => n.replace(/^line (\d+)/, (_, l: string) => `line ${Number(l) + offsetLines}`)), ...unread];
  return { title, frontMatter, tables, blocks, notes };
}

function lineNumber(locator: string): number {
  return Number(locator.match(/line (\d+)/)?.[1] ?? 0);
}

interface RowRun {
  headers: string[];
  rows: string[][];
  rowText: string[];
  lines: number[];
}

const DASHES = /^:?-{3,}:?$/;
// A fragment of a cell that wrapped onto its own line: "(Thinking Mode)", "MAXIMUM: 8K".
const CONTINUATION = /^\(|^[A-Za-z][A-Za-z ]{0,20}:\s*\S/;

/**
 * GFM keeps a table going until a blank line, so crawled docs glue prose and a second table onto
 * it, and cells that wrapped in the HTML arrive as rows of their own. Split at repeated headers,
 * hand long single-cell rows back as prose, and re-join wrapped cell fragments.
 */
export function repairRows(run: RowRun): { runs: RowRun[]; prose: Array<{ text: string; line: number }> } {
  const runs: RowRun[] = [{ headers: run.headers, rows: [], rowText: [], lines: [] }];
  const prose: Array<{ text: string; line: number }> = [];
  let ended = false;
  run.rows.forEach((cells, i) => {
    const current = runs[runs.length - 1];
    const filled = cells.filter((c) => c.trim());
    if (ended || (filled.length === 1 && filled[0].length > 60 && run.headers.length > 1)) {
      ended = true;
      if (filled.length) prose.push({ text: filled.join(' '), line: run.lines[i] });
      return;
    }
    if (cells.length > 1 && cells.every((c) => DASHES.test(c.trim()))) {
      const header = current.rows.pop();
      current.rowText.pop();
      current.lines.pop();
      if (header) runs.push({ headers: header, rows: [], rowText: [], lines: [] });
      return;
    }
    const previous = current.rows[current.rows.length - 1];
    if (previous && CONTINUATION.test(cells[0] ?? '') && labelless(cells[0])) {
      previous[previous.length - 1] = `${previous[previous.length - 1]} ${cells[0]}`.trim();
      previous.push(...cells.slice(1));
      current.rowText[current.rowText.length - 1] += `\n${run.rowText[i]}`;
      return;
    }
    current.rows.push([...cells]);
    current.rowText.push(run.rowText[i]);
    current.lines.push(run.lines[i]);
  });
  return { runs: runs.filter((r) => r.headers.length), prose };
}

function labelless(cell: string | undefined): boolean {
  return !/^(?:max|min|context|input|output|price|pricing)\b/i.test(cell ?? '');
}

function markdownTables(node: MdTable, source: string, offsetLines: number, heading: string, context: string[], refused: string[]): { tables: Table[]; prose: TextBlock[] } {
  const cells = node.children.map((row) => row.children.map((cell) => nodeText(cell).replace(SUP, '').replace(/\s+/g, ' ').trim()));
  const rowText = node.children.map((row) => {
    const start = row.position?.start.offset;
    const end = row.position?.end.offset;
    return start !== undefined && end !== undefined ? source.slice(start, end).trim() : row.children.map(nodeText).join(' | ');
  });
  const lines = node.children.map((row) => (row.position?.start.line ?? 0) + offsetLines);
  return tablesOfRun({ headers: cells[0] ?? [], rows: cells.slice(1), rowText: rowText.slice(1), lines: lines.slice(1) }, lines[0], heading, context, refused);
}

/**
 * A row with text in more cells than the table has columns ("| acme-1 | preview | $3.00 | $4.00 |"
 * under three headers): which figure sits under which header cannot be known. GFM drops the extra
 * cells, which would put the input price under "Output"; the row's own text still has them.
 */
function overflows(rowText: string, columns: number): boolean {
  const cells = splitPipeRow(rowText);
  return cells.length > columns && cells.slice(columns).some((c) => c !== '');
}

const overflowNote = (line: number, columns: number) => `line ${line}: a row with more cells than the table's ${columns} columns: which figure is under which header cannot be known, not read`;

/** A table without its overflowing rows, each noted with its line in the page (`lineOf` row i). */
function readableRows<T extends Pick<RowRun, 'headers' | 'rows' | 'rowText'> & { lines?: number[] }>(table: T, lineOf: (i: number) => number, refused: string[]): T {
  const kept: number[] = [];
  table.rows.forEach((_, i) => {
    if (overflows(table.rowText[i], table.headers.length)) refused.push(overflowNote(lineOf(i), table.headers.length));
    else kept.push(i);
  });
  if (kept.length === table.rows.length) return table;
  const pick = <V,>(values: V[]) => kept.map((i) => values[i]);
  return { ...table, rows: pick(table.rows), rowText: pick(table.rowText), ...(table.lines ? { lines: pick(table.lines) } : {}) };
}

/** The tables one markdown table's rows make once repaired; `headerLine` is the header row's line. */
function tablesOfRun(whole: RowRun, headerLine: number, heading: string, context: string[], refused: string[]): { tables: Table[]; prose: TextBlock[] } {
  const run = readableRows(whole, (i) => whole.lines[i], refused);
  const { runs, prose } = repairRows(run);
  const lines = [headerLine];
  const tables = runs.map((run, i): Table => ({
    index: 0,
    headers: withoutRepeatedLabels(run.headers),
    rows: run.rows,
    rowText: run.rowText,
    locator: `table[0] line ${i === 0 ? lines[0] : (run.lines[0] ?? lines[0]) - 1}`,
    heading,
    caption: i === 0 ? (context[context.length - 1] ?? '') : '',
    context: i === 0 ? context.slice(-6) : [],
  }));
  return { tables, prose: prose.map((p) => ({ text: p.text, locator: `line ${p.line}`, kind: 'paragraph' as const })) };
}

// ---------------------------------------------------------------- HTML

/** Elements, scripts and styles alike (htmlparser2 gives the last two their own node types). */
const isElement = (node: AnyNode): node is Element => node.type === 'tag' || node.type === 'script' || node.type === 'style';

/** Parts of a page that are never its content: scripts, styles, navigation, hidden elements. */
const NOISE_TAGS = new Set(['script', 'style', 'noscript', 'nav', 'header', 'footer', 'svg']);
const isNoise = (name: string, attribs: Record<string, string>) => NOISE_TAGS.has(name) || attr(attribs, 'role') === 'navigation' || attr(attribs, 'aria-hidden') === 'true';

/**
 * A DOM builder that leaves noise subtrees out as they are parsed. Navigation, footers, inline
 * SVG and scripts are often most of a page's elements; building and then dropping them was a
 * third of a table page's parse and most of its garbage.
 */
class ContentHandler extends DomHandler {
  /** Open elements inside the noise subtree being skipped, its root included; 0 outside one. */
  private skipped = 0;

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (this.skipped > 0 || isNoise(name, attribs)) {
      // Text on either side of a skipped subtree stays two text nodes, as if it had been removed.
      this.lastNode = null;
      this.skipped++;
      return;
    }
    super.onopentag(name, attribs);
  }

  override onclosetag(): void {
    if (this.skipped > 0) {
      this.skipped--;
      this.lastNode = null;
      return;
    }
    super.onclosetag();
  }

  override ontext(data: string): void {
    if (this.skipped === 0) super.ontext(data);
  }

  override oncomment(data: string): void {
    if (this.skipped === 0) super.oncomment(data);
  }

  override oncdatastart(): void {
    if (this.skipped === 0) super.oncdatastart();
  }

  override onprocessinginstruction(name: string, data: string): void {
    if (this.skipped === 0) super.onprocessinginstruction(name, data);
  }
}

/**
 * htmlparser2 parses a table page in about half parse5's time; scraped pages are read for their
 * tables, not rendered, so its leniency is what we want. Entities are left as written: the
 * tokenizer skips to the next `<` or closing quote only when it need not stop at every `&`, which
 * takes a third off tokenizing a page. The text and attributes the reader keeps are decoded as it
 * reads them (`decodedText`, `attr`), by the same decoder and rules the tokenizer would have used.
 */
export const HTML_PARSER_OPTIONS = { xmlMode: false, decodeEntities: false } as const;

/** Text as written in the page, its character references decoded (as text, not as an attribute). */
const decodedText = (raw: string): string => (raw.includes('&') ? decodeHTML(raw) : raw);

/** An attribute's value, its character references decoded (by the attribute rules), or undefined. */
function attr(attribs: Record<string, string>, name: string): string | undefined {
  const raw = attribs[name];
  return raw !== undefined && raw.includes('&') ? decodeHTMLAttribute(raw) : raw;
}

/** The page's content as a DOM, noise left out. */
export function parseContent(body: string): Document {
  const handler = new ContentHandler();
  new Parser(handler, HTML_PARSER_OPTIONS).end(body);
  return handler.root;
}
const BLOCK_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'li', 'pre', 'dd', 'dt', 'figcaption']);

/** Whitespace that squashing would change: a run of it, or any but a plain space. */
const UNSQUASHED = /\s\s|[^\S ]/;

/** An element's text, its whitespace squashed. */
function squashedText(el: Element): string {
  const text = decodedText(textContent(el));
  // Most cells hold a few words: testing is cheaper than rebuilding a string that would not change.
  return (UNSQUASHED.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
}

/**
 * A cell's text without its <sup> footnote markers: "1047576<sup>1</sup>" is 1,047,576, not 10,475,761.
 */
function cellText(cell: Element): string {
  if (!getElementsByTagName('sup', cell.children, true, 1).length) return squashedText(cell);
  const parts: string[] = [];
  const visit = (nodes: readonly AnyNode[]) => {
    for (const node of nodes) {
      if (isElement(node)) {
        if (node.name !== 'sup') visit(node.children);
      } else if (node.type === 'text') parts.push((node as unknown as { data: string }).data);
    }
  };
  visit(cell.children);
  return decodedText(parts.join('')).replace(/\s+/g, ' ').trim();
}

/** The element a table sits in that labels it as a tab or section: the table itself or an ancestor. */
function labelledPanel(table: Element): Element | null {
  for (let node: Element | null = table; node && isElement(node); node = node.parent as Element | null) {
    const a = node.attribs;
    if (attr(a, 'role') === 'tabpanel' || 'data-tab' in a || 'data-state' in a || ((node.name === 'section' || node.name === 'div') && 'aria-label' in a)) return node;
  }
  return null;
}

/** The tab or section label a table sits under: tabpanel label, caption, or a short text just before. */
function htmlCaption(table: Element): string {
  // Parent walks and attribute reads: a selector compiled per table cost more than the table's cells.
  const caption = getElementsByTagName('caption', table.children, true, 1)[0];
  const own = caption ? squashedText(caption) : '';
  if (own) return own;
  const panel = labelledPanel(table);
  if (panel) {
    const label = attr(panel.attribs, 'aria-label') ?? attr(panel.attribs, 'data-tab') ?? '';
    if (label) return label;
    const labelledBy = attr(panel.attribs, 'aria-labelledby');
    if (labelledBy) {
      const tabEl = findOne((el) => attr(el.attribs, 'id') === labelledBy, documentOf(table).children);
      const tab = tabEl ? squashedText(tabEl) : '';
      if (tab) return tab;
    }
    const byPlace = tabInPlace(panel);
    if (byPlace) return byPlace;
  }
  // The nearest earlier sibling with a short text; stop there rather than reading every sibling's text.
  for (let node = table.prev; node; node = node.prev) {
    if (!isElement(node)) continue;
    const text = squashedText(node);
    if (isShortLabel(text)) return text;
  }
  return '';
}

/**
 * The label of an unlabelled tab panel by its place: the k-th of its parent's panels is the k-th of
 * the tabs beside them (the order ARIA's tab pattern keeps), when there are as many tabs as panels.
 */
function tabInPlace(panel: Element): string {
  const parent = panel.parent as Element | null;
  if (!parent || attr(panel.attribs, 'role') !== 'tabpanel') return '';
  // Found once a parent: a page of many panels would otherwise search its tabs once a panel.
  let found = TABS_OF.get(parent);
  if (!found) {
    const panels = findAll((el) => attr(el.attribs, 'role') === 'tabpanel', parent.children);
    found = { place: new Map(panels.map((p, i) => [p, i])), tabs: findAll((el) => attr(el.attribs, 'role') === 'tab', parent.children) };
    TABS_OF.set(parent, found);
  }
  const { place, tabs } = found;
  const at = place.get(panel);
  return place.size > 1 && tabs.length === place.size && at !== undefined ? squashedText(tabs[at]) : '';
}

const TABS_OF = new WeakMap<Element, { place: Map<Element, number>; tabs: Element[] }>();

function documentOf(node: AnyNode): AnyNode & { children: AnyNode[] } {
  let top = node;
  while (top.parent) top = top.parent;
  return top as AnyNode & { children: AnyNode[] };
}

const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const isHeading = (node: AnyNode): node is Element => isElement(node) && HEADING_TAGS.has(node.name);

/**
 * The heading a table sits under: the nearest earlier sibling heading of the table or of one of
 * its ancestors; failing that, a heading inside those earlier siblings (of the siblings holding
 * one, the farthest, its last heading: the order jQuery's prevAll().find().last() gives).
 */
function htmlHeading(table: Element): string {
  for (let node: AnyNode | null = table; node && isElement(node); node = node.parent) {
    const earlier: Element[] = [];
    for (let sibling = node.prev; sibling; sibling = sibling.prev) if (isElement(sibling)) earlier.push(sibling);
    const before = earlier.find(isHeading);
    if (before) return squashedText(before);
    let nested: Element | undefined;
    for (const sibling of earlier) nested = findAll(isHeading, sibling.children).at(-1) ?? nested;
    if (nested) return squashedText(nested);
  }
  return '';
}

/** Whether an ancestor of `el` (below `stop`) is a `name` element: a parent walk, no selector to compile. */
function within(el: Element, name: string, stop: Element | null = null): boolean {
  for (let node = el.parent; node && node !== stop; node = node.parent) {
    if ((node as Element).name === name) return true;
  }
  return false;
}

function childElements(el: Element, names: ReadonlySet<string>): Element[] {
  return el.children.filter((c): c is Element => isElement(c) && names.has(c.name));
}

const CELLS = new Set(['th', 'td']);
const NESTED_BLOCKS = new Set(['p', 'li']);

function hasDescendant(el: Element, names: ReadonlySet<string>): boolean {
  return el.children.some((c) => isElement(c) && (names.has(c.name) || hasDescendant(c, names)));
}

/** What parseHtml reads from the DOM, gathered in one walk in document order. */
interface HtmlParts {
  tables: Element[];
  /** Every text-block element, inside tables too, so a block's index is its place among all of them. */
  blocks: Element[];
  title: Element | null;
  h1: Element | null;
}

/** One pass over the DOM instead of a selector scan per kind of element. */
function gatherHtmlParts(root: AnyNode & { children: AnyNode[] }): HtmlParts {
  const parts: HtmlParts = { tables: [], blocks: [], title: null, h1: null };
  const visit = (node: { children: AnyNode[] }) => {
    for (const child of node.children) {
      if (!isElement(child)) continue;
      if (child.name === 'table') parts.tables.push(child);
      if (BLOCK_TAGS.has(child.name)) parts.blocks.push(child);
      if (child.name === 'title') parts.title ??= child;
      if (child.name === 'h1') parts.h1 ??= child;
      visit(child);
    }
  };
  visit(root);
  return parts;
}

/**
 * Body rows with row and column spans laid out: a cell spanning three rows stands in each of them
 * ("December 2023" beside 8B, 70B and 405B), a cell spanning two columns fills the second with ''.
 * Without this every cell after a spanned one would sit one column to the left.
 */
function spannedRows(trs: readonly Element[], cellsOf: (tr: Element) => string[], spanFill: 'blank' | 'repeat' = 'blank'): string[][] {
  const carried = new Map<number, { text: string; rows: number }>();
  return trs.map((tr) => {
    const cells: string[] = [];
    const take = () => {
      for (let c = carried.get(cells.length); c; c = carried.get(cells.length)) {
        cells.push(c.text);
        if (--c.rows === 0) carried.delete(cells.length - 1);
      }
    };
    const texts = cellsOf(tr);
    childElements(tr, CELLS).forEach((td, i) => {
      take();
      const rowspan = Math.min(Number(attr(td.attribs, 'rowspan')) || 1, 1000);
      const colspan = Math.min(Number(attr(td.attribs, 'colspan')) || 1, 100);
      if (rowspan > 1) carried.set(cells.length, { text: texts[i], rows: rowspan - 1 });
      cells.push(texts[i], ...Array<string>(colspan - 1).fill(spanFill === 'repeat' ? texts[i] : ''));
    });
    take();
    return cells;
  });
}

/**
 * The rows that head a table: its <thead>'s, else its first row and the rows of <th> cells only that
 * follow it ("Input" spanning "Standard" and "Batch" on the row below).
 */
function headerRowsOf(trs: readonly Element[], table: Element): Element[] {
  const inHead = trs.filter((tr) => within(tr, 'thead', table));
  if (inHead.length) return inHead;
  const rows = trs.slice(0, 1);
  for (const tr of trs.slice(1)) {
    const cells = childElements(tr, CELLS);
    if (!cells.length || cells.some((c) => c.name !== 'th')) break;
    rows.push(tr);
  }
  return rows;
}

/**
 * One label per column from header rows laid out with their spans: "Input Batch" under "Input" over
 * "Batch". Columns a label spans with nothing below to tell them apart ("Input price" over $15 and a
 * cache-write $18.75) have no label (withoutRepeatedLabels).
 */
function columnHeaders(grid: readonly string[][]): string[] {
  const width = Math.max(0, ...grid.map((r) => r.length));
  return withoutRepeatedLabels(Array.from({ length: width }, (_, c) => [...new Set(grid.map((r) => r[c] ?? '').filter(Boolean))].join(' ')));
}

/**
 * Header labels with those standing over more than one column blanked: "| Input | Input |" over a
 * standard and a batch price says which is which only in a row below, which no reader takes for a header.
 */
function withoutRepeatedLabels(labels: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const label of labels) count.set(label, (count.get(label) ?? 0) + 1);
  return labels.map((label) => (label && count.get(label)! > 1 ? '' : label));
}

function parseHtml(body: string): Page {
  const parts = gatherHtmlParts(parseContent(body));
  const tables: Table[] = [];
  const cellsOf = (tr: Element): string[] => childElements(tr, CELLS).map(cellText);
  parts.tables.forEach((el, index) => {
    const trs = getElementsByTagName('tr', el.children, true);
    const headerRows = headerRowsOf(trs, el);
    const headers = columnHeaders(spannedRows(headerRows, cellsOf, 'repeat'));
    const body = trs.filter((tr) => !headerRows.includes(tr));
    const rows = spannedRows(body, cellsOf);
    tables.push({
      index,
      headers,
      rows,
      rowText: rows.map((r) => r.join(' | ')),
      locator: `table[${index}]`,
      heading: htmlHeading(el),
      caption: htmlCaption(el),
      context: [],
    });
    const added = tables[tables.length - 1];
    added.context = [added.heading, added.caption].filter(Boolean);
  });
  const blocks: TextBlock[] = [];
  parts.blocks.forEach((el, i) => {
    if (within(el, 'table')) return;
    if (el.name === 'li' && hasDescendant(el, NESTED_BLOCKS)) return;
    const text = el.name === 'pre' ? decodedText(textContent(el)) : squashedText(el);
    if (!text) return;
    const kind: TextBlock['kind'] = /^h\d$/.test(el.name) ? 'heading' : el.name === 'pre' ? 'code' : el.name === 'li' ? 'list' : 'paragraph';
    blocks.push({ text, locator: `${el.name}[${i}]`, kind });
  });
  const title = (parts.title && squashedText(parts.title)) || (parts.h1 ? squashedText(parts.h1) : '');
  return { title, frontMatter: {}, tables, blocks };
}

// ---------------------------------------------------------------- entry

/** `lineReadRows`: from how many rows a markdown pipe table is read line by line (Infinity: never). */
export function parsePage(body: string, format: SourceFormat, options: { lineReadRows?: number } = {}): Page {
  if (format === 'html') return parseHtml(body);
  if (format === 'markdown') return parseMarkdown(body, options.lineReadRows);
  return parseText(body);
}
