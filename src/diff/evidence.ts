/**
 * Evidence for a change as text a reviewer can read: the part of an old and a new snapshot that a
 * claim points at (the model's JSON object, the table row, the line), and a small diff of the two.
 * Pure: bodies and locators in, regions and hunks out.
 */
import { diffWordsWithSpace, formatPatch, structuredPatch } from 'diff';
import { escapePointer, unescapePointer } from '../schema/pointer.ts';

/** A snapshot body made ready for repeated lookups: split into lines, JSON parsed at most once. */
export interface PreparedDocument {
  body: string;
  lines: string[];
  json(): unknown;
}

export function prepareDocument(body: string): PreparedDocument {
  let parsed: { value: unknown } | undefined;
  return {
    body,
    lines: body.split(/\r?\n/),
    json() {
      if (!parsed) {
        try {
          parsed = { value: JSON.parse(body) };
        } catch {
          parsed = { value: undefined };
        }
      }
      return parsed.value;
    },
  };
}

/** The slice of a snapshot a locator points at, as text; `label` says which slice it is. */
export interface Region {
  label: string;
  text: string;
}

const MAX_LINE = 400;


function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return value[Number(segment)];
  if (typeof value === 'object' && value !== null) return (value as Record<string, unknown>)[segment];
  return undefined;
}

/** The most lines a JSON region shows: a model's own record fits, a provider's whole catalogue does not. */
const MAX_JSON_REGION_LINES = 200;

/** Whether `value`, re-indented, takes more than `limit` lines; counts no further than that. */
function longerThan(value: unknown, limit: number): boolean {
  let lines = 0;
  const walk = (v: unknown): boolean => {
    if (++lines > limit) return true;
    if (typeof v !== 'object' || v === null) return false;
    lines++; // the closing bracket
    for (const member of Array.isArray(v) ? v : Object.values(v)) if (walk(member)) return true;
    return false;
  };
  return walk(value);
}

/** A collection of records (every member an object or array), such as a provider's list of models. */
function isCollection(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const members = Object.values(value);
  return members.length > 0 && members.every((m) => typeof m === 'object' && m !== null);
}

/**
 * The JSON entry a pointer lies in: one element of the top-level array (OpenRouter: `/3/...`),
 * of a top-level `data` array (`/data/3/...`), or one member of a top-level object (LiteLLM:
 * `/gpt-5/input_cost_per_token`); where that entry is a whole catalogue (models.dev's provider
 * `/openai`, with every model of it), the first entry under it on the pointer's path that fits
 * in MAX_JSON_REGION_LINES and is a record rather than a list of them (`/openai/models/gpt-5`,
 * not `/openai/models`). The entry is shown whole, re-indented, so a diff lines up by field.
 */
function jsonRegion(doc: PreparedDocument, pointer: string): Region | null {
  const root = doc.json();
  if (root === undefined) return null;
  const segments = pointer.split('/').slice(1).map(unescapePointer);
  if (segments.length === 0) return null;
  const first = child(root, segments[0]);
  let entryPath = Array.isArray(root) || !Array.isArray(first) || segments.length < 2 ? segments.slice(0, 1) : segments.slice(0, 2);
  let entry = entryPath.reduce<unknown>(child, root);
  if (entry === undefined) return null;
  while (entryPath.length < segments.length && (longerThan(entry, MAX_JSON_REGION_LINES) || isCollection(entry))) {
    const inner = child(entry, segments[entryPath.length]);
    if (inner === undefined) break;
    entryPath = segments.slice(0, entryPath.length + 1);
    entry = inner;
  }
  const label = '/' + entryPath.map(escapePointer).join('/');
  const pretty = JSON.stringify(entry, null, 2);
  const text = Array.isArray(root) || entryPath.length > 1 ? pretty : `${JSON.stringify(entryPath[0])}: ${pretty}`;
  return { label: `JSON ${label} (re-indented)`, text };
}

function clip(line: string, around?: string): string {
  if (line.length <= MAX_LINE) return line;
  const at = around ? Math.max(0, line.indexOf(around)) : 0;
  const start = Math.max(0, Math.min(at - MAX_LINE / 2, line.length - MAX_LINE));
  return `${start > 0 ? '…' : ''}${line.slice(start, start + MAX_LINE)}${start + MAX_LINE < line.length ? '…' : ''}`;
}

function lineContaining(lines: string[], needle: string, from = 0, to = lines.length): number {
  if (needle.trim().length < 2) return -1;
  for (let i = Math.max(0, from); i < Math.min(lines.length, to); i++) if (lines[i].includes(needle)) return i;
  return -1;
}

/** A table cell: the table's header line and the row the cell is on (found by its quote near where the row should be). */
function tableRegion(doc: PreparedDocument, headerLine: number, row: number, quote: string): Region | null {
  const header = headerLine - 1;
  if (header < 0 || header >= doc.lines.length) return null;
  const near = lineContaining(doc.lines, quote, header + 1, header + row + 8);
  const at = near >= 0 ? near : header + 1 + row;
  if (at >= doc.lines.length) return null;
  return { label: `table row ${row} (lines ${headerLine}, ${at + 1})`, text: `${clip(doc.lines[header])}\n${clip(doc.lines[at], quote)}` };
}

/**
 * Finds the region of a snapshot that a claim's locator names. Understands JSON pointers,
 * table cell locators ("table[0] line 12 row[3] col[2] (...)") and "line N"; anything else is
 * found by the claim's quote. Null when the locator leads nowhere in this body.
 */
export function regionAt(doc: PreparedDocument, locator: string, quote = ''): Region | null {
  if (locator.startsWith('/')) return jsonRegion(doc, locator);
  const table = locator.match(/^table\[\d+\] line (\d+) row\[(\d+)\]/);
  if (table) return tableRegion(doc, Number(table[1]), Number(table[2]), quote);
  const line = locator.match(/\bline (\d+)\b/);
  if (line) {
    const i = Number(line[1]) - 1;
    if (i >= 0 && i < doc.lines.length) return { label: `line ${i + 1}`, text: clip(doc.lines[i], quote) };
  }
  const found = lineContaining(doc.lines, quote);
  if (found >= 0) return { label: `line ${found + 1} (first line quoting the claim)`, text: clip(doc.lines[found], quote) };
  return null;
}

// ---------------------------------------------------------------- diff

export interface DiffPart {
  text: string;
  changed: boolean;
}

export interface DiffLine {
  kind: 'context' | 'added' | 'removed';
  text: string;
  /** Word-level split of a changed line against its counterpart, for highlighting. */
  parts: DiffPart[];
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

export interface RegionDiff {
  unified: string;
  hunks: DiffHunk[];
}

const KIND: Record<string, DiffLine['kind']> = { ' ': 'context', '+': 'added', '-': 'removed' };

/** Pairs each run of removed lines with the added lines after it and marks the words that differ. */
function highlight(lines: DiffLine[]): DiffLine[] {
  for (let i = 0; i < lines.length; ) {
    if (lines[i].kind !== 'removed') {
      i++;
      continue;
    }
    let removedEnd = i;
    while (removedEnd < lines.length && lines[removedEnd].kind === 'removed') removedEnd++;
    let addedEnd = removedEnd;
    while (addedEnd < lines.length && lines[addedEnd].kind === 'added') addedEnd++;
    const pairs = Math.min(removedEnd - i, addedEnd - removedEnd);
    for (let k = 0; k < pairs; k++) {
      const removed = lines[i + k];
      const added = lines[removedEnd + k];
      const words = diffWordsWithSpace(removed.text, added.text);
      removed.parts = words.filter((w) => !w.added).map((w) => ({ text: w.value, changed: w.removed }));
      added.parts = words.filter((w) => !w.removed).map((w) => ({ text: w.value, changed: w.added }));
    }
    i = addedEnd;
  }
  return lines;
}

/** A unified diff of two regions plus the same hunks as data, changed words marked. */
export function diffRegions(oldRegion: Region | null, newRegion: Region | null, names: { old: string; new: string }, context = 3): RegionDiff {
  const oldText = oldRegion ? oldRegion.text + '\n' : '';
  const newText = newRegion ? newRegion.text + '\n' : '';
  const patch = structuredPatch(names.old, names.new, oldText, newText, oldRegion?.label, newRegion?.label, { context });
  const hunks = patch.hunks.map((h) => ({
    header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
    lines: highlight(
      h.lines
        .filter((l) => KIND[l[0]] !== undefined)
        .map((l) => ({ kind: KIND[l[0]], text: l.slice(1), parts: [{ text: l.slice(1), changed: false }] })),
    ),
  }));
  return { unified: formatPatch(patch), hunks };
}
