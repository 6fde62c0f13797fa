/**
 * `sources add`: read a page a person points at (fetched politely, or a saved file), find out how
 * to read it, show what each extractor would claim from it, and propose a source file whose
 * `expect` rules hold on this very page, so a later redesign is reported as drift.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inputError, usageError } from '../errors.ts';
import { isHtmlType, mediaType } from '../fetch/content-type.ts';
import { createFetcher, type FetcherOptionsInput } from '../fetch/index.ts';
import { detectExtractor, detectFormat, extractDocument, extractSnapshot } from '../extract/registry.ts';
import type { ExtractedClaim } from '../schema/claim.ts';
import { SourceSchema, type Source, type SourceFormat, type SourceKind } from '../schema/source.ts';
import { knownVendor } from '../normalize/identity.ts';
import { routeName } from '../normalize/routes.ts';
import { readInputPage } from './input-file.ts';
import { sourcesOf, type Workspace } from './workspace.ts';
import { unwritable } from '../writable.ts';

export interface ProposeSourceRequest {
  /** The page to fetch (http or https); with `file`, the address the saved copy came from. */
  url?: string;
  /** A saved copy of the page, read instead of fetching. */
  file?: string;
  /** The proposed source's id (default: from the URL or the file name). */
  id?: string;
  /** Write sources/<id>.json (never over an existing file). */
  write?: boolean;
  /** Fetch through a headless browser: for a page drawn by scripts. */
  render?: 'http' | 'browser';
  fetch?: Partial<FetcherOptionsInput>;
}

/** What one extractor makes of the page. */
export interface ExtractorTrial {
  extractor: string;
  models: number;
  figures: number;
  /** Every claim, a doubtful one with its anomaly: shown, never the ground of a rule. */
  claims: Array<Pick<ExtractedClaim, 'model' | 'field' | 'value' | 'unit' | 'condition' | 'locator' | 'quote' | 'anomaly'>>;
  notes: string[];
  drift: string[];
}

export interface SourceProposal {
  url: string | null;
  file: string | null;
  format: SourceFormat;
  /** How the format was decided: the content type, the file extension or the body's first characters. */
  format_from: 'content-type' | 'extension' | 'content';
  content_type: string | null;
  trials: ExtractorTrial[];
  /** The extractor the proposal uses: the one with the most figures. Null when none found any. */
  chosen: string | null;
  /** The proposed source file (with its `$schema`), validated; null when the page gave no figures. */
  source: (Record<string, unknown> & { id: string }) | null;
  /** What the proposed source's own extraction of this page reports: empty when its expect rules hold. */
  drift: string[];
  notes: string[];
  path: string | null;
  written: boolean;
}

/** Extractors worth trying on a page of each kind of format. */
const JSON_EXTRACTORS = ['openrouter', 'litellm', 'models-dev', 'genai-prices', 'generic'];
const PAGE_EXTRACTORS = ['pricing', 'docs', 'model-card', 'aggregator', 'generic'];

/** Fields an expect rule may ask for: the ones a redesign would lose first and a page states plainly. */
const EXPECTABLE_FIELDS = ['input_price', 'output_price', 'cached_input_price', 'context_window', 'max_output_tokens', 'license', 'parameters'];

const TRUST: Record<SourceKind, number> = { 'first-party': 0.95, 'model-card': 0.9, api: 0.75, aggregator: 0.5 };

export async function proposeSource(ws: Workspace, request: ProposeSourceRequest): Promise<SourceProposal> {
  if (!request.url && !request.file) throw usageError('sources add takes a URL, or --file FILE for a saved page');
  if (request.id !== undefined && !SourceSchema.shape.id.safeParse(request.id).success) {
    throw usageError(`--id "${request.id.length > 40 ? request.id.slice(0, 40) + '…' : request.id}": lower-case letters, digits and dashes, at most 100 of them`);
  }
  const page = request.file ? readPage(request.file, request.url) : await fetchPage(request.url!, request.render ?? 'http', request.fetch);
  const notes: string[] = [];
  const trials = (page.format === 'json' ? JSON_EXTRACTORS : PAGE_EXTRACTORS).map((name) => trial(name, page.body, page.format));
  const detected = detectExtractor(page.body, page.format);
  const best = [...trials].sort((a, b) => b.figures - a.figures || Number(b.extractor === detected) - Number(a.extractor === detected))[0];
  const url = page.url ?? statedUrl(page.body);
  const proposal: SourceProposal = {
    url,
    file: request.file ?? null,
    format: page.format,
    format_from: page.formatFrom,
    content_type: page.contentType,
    trials,
    chosen: null,
    source: null,
    drift: [],
    notes,
    path: null,
    written: false,
  };
  if (!best || best.figures === 0) {
    notes.push('no figures found: no extractor could read a price or a spec from this page; nothing is proposed');
    if (page.format === 'html' && /<script\b/i.test(page.body) && request.render !== 'browser') notes.push('the page may be drawn by scripts: try again with --render browser');
    return proposal;
  }
  proposal.chosen = best.extractor;
  const id = request.id ?? idFrom(url, request.file);
  const source = draftSource(id, page, best, url, request.render);
  if (!url) notes.push(`the page names no address of its own: the proposal has a placeholder URL; give its URL (sources add URL --file FILE) before --write`);
  const parsed = SourceSchema.safeParse(stripSchema(source));
  if (!parsed.success) throw inputError('the proposed source does not validate', parsed.error.issues.map((i) => ({ path: i.path, message: i.message })));
  proposal.source = source;
  proposal.drift = extractSnapshot({ body: page.body, format: page.format, source: parsed.data }).drift;
  if (parsed.data.route) {
    notes.push(`${new URL(url!).hostname} is no vendor's own site: its figures are proposed as route:${parsed.data.route}, the host's prices, never the models' base prices (if it is a vendor's own site, drop "route" and add "provider")`);
  } else if (parsed.data.kind === 'first-party' && !parsed.data.provider) {
    notes.push(
      vendorsOf(best).size > 1
        ? 'the page names several vendors\' models: if these are a host\'s own prices (Bedrock, Groq, …), add "route": "<host>" so they are claimed as its route, not as the models\' base prices'
        : 'the page\'s models name no vendor (read as unknown/…): add "provider": "<vendor>" so they are claimed as that vendor\'s models',
    );
  }
  proposal.path = join(ws.sourcesDir, `${id}.json`);
  if (request.write && proposal.drift.length > 0) {
    throw inputError(`the proposed source fails on the very page it was drawn from (${proposal.drift.join('; ')}): not written; every sync of it would be drift`);
  }
  if (request.write) writeProposal(ws, proposal.path, parsed.data, source, url);
  proposal.written = Boolean(request.write);
  return proposal;
}

interface Page {
  body: string;
  format: SourceFormat;
  formatFrom: SourceProposal['format_from'];
  contentType: string | null;
  url: string | null;
}

function readPage(file: string, address: string | undefined): Page {
  const url = address === undefined ? null : webUrl(address).href;
  const fromExtension = formatOfExtension(file);
  const body = readInputPage(file, fromExtension);
  return { body, format: fromExtension ?? detectFormat(body), formatFrom: fromExtension ? 'extension' : 'content', contentType: null, url };
}

/** The format a content type settles; text/plain says nothing (raw hosts serve everything as it). */
function formatOfContentType(contentType: string | null): SourceFormat | null {
  const type = mediaType(contentType);
  if (!type) return null;
  if (isHtmlType(type)) return 'html';
  if (type === 'application/json' || type === 'text/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'markdown';
  return null;
}

function formatOfExtension(path: string): SourceFormat | null {
  const ext = path.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'json') return 'json';
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  return null;
}

/** A URL the person typed: only the web, and a clear error otherwise. */
function webUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw inputError(`"${text}" is not a URL (give http:// or https://, or --file FILE for a saved page)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw inputError(`only http: and https: URLs can be sources, not ${url.protocol} (${text})`);
  // A user name and password in the address are not written into a file meant for the repository.
  url.username = '';
  url.password = '';
  return url;
}

/**
 * One polite fetch (robots.txt, User-Agent, per-host limits, retries) through the project's
 * fetcher. The format is guessed from the address; a server that answers with another content
 * type is asked once more for what it sent.
 */
async function fetchPage(text: string, render: 'http' | 'browser', options: Partial<FetcherOptionsInput> = {}): Promise<Page> {
  const url = webUrl(text).href;
  const fetcher = createFetcher(options);
  try {
    const provisional = (format: SourceFormat): Source => ({
      id: 'proposed',
      name: 'proposed source',
      kind: 'first-party',
      url,
      format,
      extractor: 'generic',
      trust: 0.5,
      render,
      robots: 'obey',
      expect: { min_models: 0, fields: [] },
    });
    const guessed = formatOfExtension(new URL(url).pathname) ?? 'html';
    let outcome = await fetcher.fetchSource(provisional(guessed), null);
    const sent = outcome.error?.class === 'content-type' ? outcome.error.message.match(/server sent (\S+)/)?.[1] : undefined;
    const retryAs = sent ? (formatOfContentType(sent) ?? (sent.startsWith('text/') ? 'text' : null)) : null;
    if (retryAs && retryAs !== guessed) outcome = await fetcher.fetchSource(provisional(retryAs), null);
    if (outcome.status !== 'fetched' || !outcome.snapshot) throw inputError(`cannot read ${url}: ${fetchProblem(outcome.error)}`);
    const { body, content_type: contentType } = outcome.snapshot;
    const fromType = formatOfContentType(contentType);
    const fromExtension = formatOfExtension(new URL(url).pathname);
    if (fromType) return { body, format: fromType, formatFrom: 'content-type', contentType, url };
    if (fromExtension) return { body, format: fromExtension, formatFrom: 'extension', contentType, url };
    return { body, format: detectFormat(body), formatFrom: 'content', contentType, url };
  } finally {
    await fetcher.close();
  }
}

/** Socket errors that mean the host cannot be reached at all (robots.txt is the first to meet them). */
const UNREACHABLE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\b/;

function fetchProblem(error: { class: string; message: string } | undefined): string {
  if (!error) return 'nothing was fetched';
  const code = error.message.match(UNREACHABLE)?.[1];
  if (code) return `the host is unreachable (${code}): check the address, or save the page and use --file`;
  return `${error.class}: ${error.message}`;
}

function trial(extractor: string, body: string, format: SourceFormat): ExtractorTrial {
  const result = extractDocument(body, { format, extractor });
  const usable = result.claims.filter((c) => !c.anomaly);
  return {
    extractor,
    models: new Set(usable.map((c) => c.model)).size,
    figures: usable.length,
    claims: result.claims.map(({ model, field, value, unit, condition, locator, quote, anomaly }) => ({ model, field, value, unit, condition, locator, quote, ...(anomaly ? { anomaly } : {}) })),
    notes: result.notes,
    drift: result.drift,
  };
}

/**
 * The page's own address, where a saved copy states it in its header (a crawler's `URL Source:`
 * line, front matter's `url:`): only in its first lines, where a page's "Source: <link>" citing
 * something else (its training code, a paper) is not.
 */
function statedUrl(body: string): string | null {
  const head = body.slice(0, 3000).split('\n').filter((line) => line.trim() && line.trim() !== '---').slice(0, 5);
  for (const line of head) {
    const match = line.match(/^\s*(?:#+\s*)?(?:URL Source|Source|url)\s*:\s*<?(https?:\/\/[^\s>)]+)/i);
    if (match) return match[1];
  }
  return null;
}

/** A source id from the address (host and last path segment) or the file's name. */
function idFrom(url: string | null, file: string | undefined): string {
  let raw = file ? basename(file).replace(/\.[a-z0-9]+$/i, '') : 'proposed';
  if (url) {
    const { hostname, pathname } = new URL(url);
    const segments = pathname.split('/').filter(Boolean);
    if (hostname === 'huggingface.co' && segments.length >= 2) {
      raw = `hf-${segments[1]}`; // owner/repo[/raw/main/README.md]: the repository names the model
    } else {
      const host = hostname.replace(/^(?:www|docs|api-docs|api|platform)\./, '').split('.')[0];
      const last = segments.pop()?.replace(/\.[a-z.]+$/i, '') ?? '';
      raw = [host, last].filter(Boolean).join('-');
    }
  }
  const id = raw.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return id || 'proposed';
}

/** The vendors (the provider part of the model ids) a trial's usable figures belong to; a model it could not place is none. */
function vendorsOf(trial: ExtractorTrial): Set<string> {
  return new Set(trial.claims.filter((c) => !c.anomaly).map((c) => c.model.slice(0, c.model.indexOf('/'))).filter((v) => v !== 'unknown'));
}

/** The vendor every figure belongs to, when there is one: the page speaks for it alone. */
function singleProvider(trial: ExtractorTrial): string | undefined {
  const providers = vendorsOf(trial);
  const [only] = providers;
  return providers.size === 1 ? only : undefined;
}

/** Vendors' own sites whose name is not the vendor's (docs.claude.com is Anthropic's). */
const VENDOR_SITES: Record<string, string> = { claude: 'anthropic', x: 'x-ai', llama: 'meta-llama', alibabacloud: 'qwen', aliyun: 'qwen', bigmodel: 'z-ai' };

/** The name a host goes by: the label before its public suffix (fireworks.ai -> fireworks, docs.claude.com -> claude). */
function siteName(url: string): string {
  const labels = new URL(url).hostname.split('.');
  const secondLevel = labels.length >= 3 && /^(co|com|org|net|ac|gov)$/.test(labels[labels.length - 2]);
  return labels[Math.max(0, labels.length - (secondLevel ? 3 : 2))];
}

/** The vendor whose own site `url` is on, if any. */
function siteVendor(url: string): string | undefined {
  const name = siteName(url);
  return knownVendor(name) ?? VENDOR_SITES[name];
}

/** The model a page names most often: a model card's subject. */
function mostNamed(trial: ExtractorTrial): string {
  const counts = new Map<string, number>();
  for (const c of trial.claims) counts.set(c.model, (counts.get(c.model) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

function pageTitle(body: string): string | null {
  const title =
    body.match(/<title[^>]*>([^<]{3,120})<\/title>/i)?.[1] ??
    body.slice(0, 5000).match(/^\s*(?:Title|title)\s*:\s*(.{3,120})$/m)?.[1] ??
    body.slice(0, 20_000).match(/^#\s+(.{3,120})$/m)?.[1];
  return title ? title.replace(/[[\]*_`]/g, '').trim() : null;
}

/**
 * The source file: format and extractor as found, kind from what was read (a model card, or a
 * vendor's own page), and expect rules drawn from this page: at least half its models, and every
 * plainly stated field it gave as a base figure.
 */
function draftSource(id: string, page: Page, best: ExtractorTrial, url: string | null, render: 'http' | 'browser' | undefined): Record<string, unknown> & { id: string } {
  const kind: SourceKind =
    page.format === 'json' ? 'api' : best.extractor === 'model-card' ? 'model-card' : best.extractor === 'aggregator' ? 'aggregator' : 'first-party';
  // Rules from plain figures only: a year read as a price is an anomaly, and a rule asking for it fails on the page itself.
  const base = new Set<string>(best.claims.filter((c) => c.condition === '' && !c.anomaly).map((c) => c.field));
  // A provider binds a vendor's own page to its models; a catalogue or an aggregator lists everyone's.
  const vendor = kind === 'first-party' || kind === 'model-card' ? singleProvider(best) : undefined;
  // A first-party page on a site that is not its vendor's is the host's (Fireworks' page for
  // DeepSeek V3.2, Azure's for OpenAI's models): its figures are that route's, never the models' base prices.
  const site = kind === 'first-party' && url ? siteVendor(url) : undefined;
  const hosted = kind === 'first-party' && url !== null && (vendor !== undefined ? site !== vendor : vendorsOf(best).size > 1 && site === undefined);
  const host = hosted ? routeName(siteName(url!)) : undefined;
  const provider = host ? undefined : vendor;
  return {
    $schema: '../schemas/source.schema.json',
    id,
    name: kind === 'model-card' ? `Model card: ${mostNamed(best)}` : (pageTitle(page.body) ?? id),
    kind,
    url: url ?? `https://example.invalid/${id}`,
    format: page.format,
    extractor: best.extractor,
    ...(provider ? { provider } : {}),
    ...(host ? { route: host } : {}),
    ...(render === 'browser' ? { render } : {}),
    trust: TRUST[kind],
    expect: { min_models: Math.max(1, Math.floor(best.models / 2)), fields: EXPECTABLE_FIELDS.filter((f) => base.has(f)) },
    notes: `Proposed by \`model-ledger sources add\` from ${url ?? 'a saved page'}: ${best.figures} figures of ${best.models} model(s) found; review before use.`,
  };
}

const stripSchema = ({ $schema: _schema, ...rest }: Record<string, unknown>) => rest;

/** Writes the proposal beside the other sources: never over a file, never under an id in use. */
function writeProposal(ws: Workspace, path: string, parsed: Source, source: Record<string, unknown>, url: string | null): void {
  if (!url) throw usageError('the page names no address of its own: give its URL (sources add URL --file FILE) to write the source');
  const why = unwritable(ws.sourcesDir, 'directory');
  if (why) throw inputError(`cannot write the source into ${ws.sourcesDir} (--sources DIR): ${why}`);
  if (existsSync(path)) throw inputError(`${path} exists: not overwritten (choose another --id)`);
  const hasSources = existsSync(ws.sourcesDir) && readdirSync(ws.sourcesDir).some((f) => f.endsWith('.json'));
  if (hasSources && sourcesOf(ws).some((s) => s.id === parsed.id)) throw inputError(`a source with id "${parsed.id}" exists in ${ws.sourcesDir}`);
  mkdirSync(ws.sourcesDir, { recursive: true });
  writeFileSync(path, JSON.stringify(source, null, 2) + '\n', { flag: 'wx' });
}
