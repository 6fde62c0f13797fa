/**
 * Figures stated in prose, attributed to the model the sentence says they belong to:
 *   "A ships a 128k-token context window"            -> A context_window
 *   "A costs $1.75/1M input tokens versus $2.50/1M for the alternative" -> A and B input_price
 *   "A costs $1.6 per million output tokens while B costs $14."        -> A and B output_price
 *   "A supports 1,047,576 tokens versus 400,000 for B"                 -> A and B context_window
 * A figure is attributed to the model named "for X" right after it, else to the nearest model named
 * before it in the same sentence. Sentences about cheapest routes, blends, gaps or speeds are skipped:
 * their figures are not a model's own price or window.
 */
import type { ExtractedClaim } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import { parsePrice, parseTokenCount } from '../normalize/units.ts';
import { makeClaim } from './claims.ts';
import { memoize } from './memo.ts';
import type { TextBlock } from './tables.ts';

export interface SentenceOptions {
  /** The models the page is about, in page order (a two-model page resolves "the alternative"). */
  models: readonly string[];
  exactTokens: readonly number[];
  confidence: number;
  provider?: string;
}

// A figure behind a beta header is not the model's own (tables read it with its condition).
const SKIP_SENTENCE = /\bbeta\b|\bcheapest\b|\bblend(?:ed)?\b|\bhigher\b|\blower\b|\bcheaper\b|\bgap\b|\bdifference\b|\bsav(?:e|es|ings)\b|\bmonthly\b|\bper (?:second|month|day|hour)\b|\bt\/s\b|\bdiscount/i;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches a model name whether printed with spaces or hyphens ("GPT-5.2 Codex" / "GPT-5.2-Codex"). */
function namePattern(name: string): string {
  return name
    .trim()
    .split(/[\s-]+/)
    .map(escapeRegex)
    .join('[\\s-]+');
}

interface Mention {
  model: string;
  start: number;
  end: number;
}

// A page names the same few models in every sentence: compile each name's pattern once.
const mentionPattern = memoize((model: string) => new RegExp(`(?<![\\w.-])${namePattern(model)}(?![\\w-]|\\.\\d)`, 'gi'));

function mentions(sentence: string, models: readonly string[]): Mention[] {
  const found: Mention[] = [];
  const sorted = [...models].sort((a, b) => b.length - a.length);
  for (const model of sorted) {
    const re = mentionPattern(model);
    for (const m of sentence.matchAll(re)) {
      const start = m.index ?? 0;
      if (!found.some((f) => start < f.end && f.start < start + m[0].length)) found.push({ model, start, end: start + m[0].length });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z("“])|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

interface Figure {
  field: FieldName;
  value: number;
  start: number;
  end: number;
}

const BASIS = String.raw`(?:\s*\/\s*1?\s*M(?:Tok)?\b|\s+per\s+(?:1\s*M|million)(?:\s+tokens)?)`;
const PRICE_WITH_SIDE = new RegExp(String.raw`\$\s*(\d[\d,]*(?:\.\d+)?)(${BASIS})\s*(input|output)\b`, 'gi');
const PRICE_THEN_SIDE = new RegExp(String.raw`\$\s*(\d[\d,]*(?:\.\d+)?)\s+per\s+(?:1\s*M|million)\s+(input|output)\s+tokens`, 'gi');
const PRICE_BARE = new RegExp(String.raw`\$\s*(\d[\d,]*(?:\.\d+)?)(${BASIS})?`, 'gi');
const TOKENS = String.raw`(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s*[kKmM]?)`;
const CONTEXT_PATTERNS = [
  new RegExp(String.raw`${TOKENS}[\s-]*tokens?[\s-]+context(?:\s+(?:window|length))?`, 'gi'),
  new RegExp(String.raw`${TOKENS}\s+context\s+window`, 'gi'),
  new RegExp(String.raw`context\s+(?:window|length)\s+of\s+(?:up\s+to\s+)?${TOKENS}(?:\s+tokens)?`, 'gi'),
  // Not "supports 16K tokens per response" or "of output": an output limit.
  new RegExp(String.raw`\bsupports\s+${TOKENS}\s+tokens\b(?!\s+(?:per\s+(?:response|request|reply|completion|call)|of\s+output|in\s+(?:a\s+)?(?:single\s+)?(?:response|reply)))`, 'gi'),
];
const COMPARISON = /\b(?:versus|vs\.?|while|whereas|compared\s+(?:with|to)|against)\b/i;
const VERSUS_TOKENS = new RegExp(String.raw`\b(?:versus|vs\.?|compared\s+(?:with|to))\s+${TOKENS}(?:\s+tokens)?\s+for\b`, 'gi');

function overlaps(figures: Figure[], start: number, end: number): boolean {
  return figures.some((f) => start < f.end && f.start < end);
}

/**
 * Words that put a sentence's prices under a condition this reading does not state (the Batch API,
 * cache reads, long prompts, a region, a past price): such a sentence gives no price, whichever
 * figure the words go with.
 */
const QUALIFIED_PRICE =
  /\b(?:batch|cached|cache|caching|previously|formerly|used to|no longer|discount(?:ed)?|off[- ]peak|promo(?:tional)?|region|residency|long[- ]context|fine[- ]?tun(?:ed|ing)|audio|images?|video|quantiz\w*|fp8|fp16|int[48]|(?:over|above|beyond|exceeding)\s+\d[\d,.]*\s*[kKmM]\b)/i;
// "on Together AI", "via Bedrock": a host's price, which this reading would file as the model's own.
const ON_HOST = /\b(?:on|via|through)\s+(?!the\b|a\b|an\b)[A-Z]/;

/** Every figure pattern needs a digit, a price a dollar sign, a context size one of these words. */
const DIGIT = /\d/;
const CONTEXT_WORD = /token|context/i;

/** Price and context figures in a sentence, in order; "versus $X" inherits the previous figure's field. */
function figuresIn(sentence: string, exact: readonly number[]): Figure[] {
  const figures: Figure[] = [];
  // Most sentences state no figure: eight scans of each cost more than the rest of the prose reading.
  if (!DIGIT.test(sentence)) return figures;
  const priced = sentence.includes('$') && !QUALIFIED_PRICE.test(sentence) && !ON_HOST.test(sentence);
  for (const re of priced ? [PRICE_WITH_SIDE, PRICE_THEN_SIDE] : []) {
    for (const m of sentence.matchAll(re)) {
      const start = m.index ?? 0;
      if (overlaps(figures, start, start + m[0].length)) continue;
      const side = (m[3] ?? m[2]).toLowerCase();
      const value = parsePrice(`$${m[1]}`, 'per_1m');
      if (value !== null) figures.push({ field: side === 'input' ? 'input_price' : 'output_price', value, start, end: start + m[0].length });
    }
  }
  for (const re of CONTEXT_WORD.test(sentence) ? CONTEXT_PATTERNS : []) {
    for (const m of sentence.matchAll(re)) {
      const start = m.index ?? 0;
      if (overlaps(figures, start, start + m[0].length)) continue;
      const value = parseTokenCount(m[1], exact);
      if (value !== null) figures.push({ field: 'context_window', value, start, end: start + m[0].length });
    }
  }
  figures.sort((a, b) => a.start - b.start);
  if (figures.length === 0) return figures;
  // Follow-ups: "versus $2.50/1M", "while B costs $14", "versus 400,000 for B". A bare price with no
  // such word between it and the last one ("or $5 with…", "billed at $0.001275 per image") is another price.
  for (const m of priced ? sentence.matchAll(PRICE_BARE) : []) {
    const start = m.index ?? 0;
    if (overlaps(figures, start, start + m[0].length)) continue;
    const previous = [...figures].reverse().find((f) => f.start < start && f.field.endsWith('_price'));
    if (!previous || !COMPARISON.test(sentence.slice(previous.end, start))) continue;
    const value = parsePrice(`$${m[1]}`, 'per_1m');
    if (value !== null) figures.push({ field: previous.field, value, start, end: start + m[0].length });
  }
  for (const m of sentence.matchAll(VERSUS_TOKENS)) {
    const start = m.index ?? 0;
    const previous = figures.find((f) => f.start < start && f.field === 'context_window');
    const value = parseTokenCount(m[1], exact);
    if (previous && value !== null) figures.push({ field: 'context_window', value, start, end: start + m[0].length - 'for'.length });
  }
  return figures.sort((a, b) => a.start - b.start);
}

const FOR_TARGET = /^\s*(?:tokens?\s+)?(?:input\s+|output\s+)?(?:tokens?\s+)?for\s+(?:the\s+)?(alternative|other(?:\s+model)?)?/i;

function ownerOf(sentence: string, figure: Figure, found: Mention[], models: readonly string[]): string | undefined {
  const after = sentence.slice(figure.end);
  const forMatch = after.match(FOR_TARGET);
  if (forMatch) {
    const target = found.find((m) => m.start >= figure.end + (forMatch.index ?? 0) && m.start <= figure.end + forMatch[0].length + 1);
    if (target) return target.model;
    if (forMatch[1] && models.length === 2) {
      const subject = [...found].reverse().find((m) => m.end <= figure.start);
      if (subject) return models.find((m) => m !== subject.model);
    }
  }
  return [...found].reverse().find((m) => m.end <= figure.start)?.model;
}

// "Both are proprietary ... limited to text and images with no audio": a statement about every model on a two-model page.
const BOTH = /^(?:both|neither)\b/i;
const SHARED_FACTS: Array<{ pattern: RegExp; field: FieldName; value: boolean | string; when: 'both' | 'neither' }> = [
  { pattern: /\bproprietary\b/i, field: 'license', value: 'proprietary', when: 'both' },
  { pattern: /\btext and images?\b|\bimages? and text\b|\b(?:expose|share|support)s? vision\b/i, field: 'vision', value: true, when: 'both' },
  { pattern: /\bno (?:native )?(?:support for )?audio\b/i, field: 'audio_input', value: false, when: 'both' },
  { pattern: /\bsupports? audio\b/i, field: 'audio_input', value: false, when: 'neither' },
];

function sharedClaims(sentence: string, locator: string, opts: SentenceOptions): ExtractedClaim[] {
  const m = sentence.match(BOTH);
  if (!m || opts.models.length !== 2) return [];
  const when = m[0].toLowerCase() as 'both' | 'neither';
  return SHARED_FACTS.filter((f) => f.when === when && f.pattern.test(sentence)).flatMap((f) =>
    opts.models.map((model) =>
      makeClaim({ name: model, field: f.field, value: f.value, locator, quote: sentence, confidence: opts.confidence - 0.1 }, opts.provider),
    ),
  );
}

/** Claims from prose blocks. Each figure is attributed to exactly one model or dropped. */
export function readSentences(blocks: readonly TextBlock[], opts: SentenceOptions): ExtractedClaim[] {
  if (!opts.models.length) return [];
  const claims: ExtractedClaim[] = [];
  for (const block of blocks) {
    if (block.kind === 'code') continue;
    splitSentences(block.text).forEach((sentence, index) => {
      claims.push(...sharedClaims(sentence, `${block.locator} sentence ${index + 1}`, opts));
      if (SKIP_SENTENCE.test(sentence)) return;
      // Figures first: most sentences state none, and looking for every model's name costs more.
      const figures = figuresIn(sentence, opts.exactTokens);
      if (!figures.length) return;
      const found = mentions(sentence, opts.models);
      if (!found.length) return;
      for (const figure of figures) {
        const model = ownerOf(sentence, figure, found, opts.models);
        if (!model) continue;
        claims.push(
          makeClaim(
            {
              name: model,
              field: figure.field,
              value: figure.value,
              locator: `${block.locator} sentence ${index + 1}`,
              quote: sentence,
              confidence: opts.confidence,
            },
            opts.provider,
          ),
        );
      }
    });
  }
  return claims;
}
