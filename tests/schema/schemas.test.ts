import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import { jsonSchemas } from '../../src/schema/json-schemas.ts';
import { loadSources, parseSourceFile } from '../../src/pipeline/sources.ts';
import { LedgerError } from '../../src/errors.ts';
import { readManifest, sha256Hex } from '../../src/pipeline/manifest.ts';
import { DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR, PACKAGE_ROOT } from '../../src/paths.ts';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

describe('generated JSON Schemas', () => {
  it('match the zod schemas (run `npm run schemas` after changing src/schema)', () => {
    const generated = jsonSchemas();
    const committed = readdirSync(join(PACKAGE_ROOT, 'schemas')).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual(Object.keys(generated).sort());
    for (const [file, text] of Object.entries(generated)) {
      expect(readFileSync(join(PACKAGE_ROOT, 'schemas', file), 'utf8'), file).toBe(text);
    }
  });
});

describe('sources/', () => {
  it('every source file validates against schemas/source.schema.json and the zod schema', () => {
    const ajv = new Ajv({ strict: false });
    createRequire(import.meta.url)('ajv-formats')(ajv);
    const validate = ajv.compile(JSON.parse(jsonSchemas()['source.schema.json']));
    const files = readdirSync(DEFAULT_SOURCES_DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const raw = JSON.parse(readFileSync(join(DEFAULT_SOURCES_DIR, file), 'utf8'));
      expect(validate(raw), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(parseSourceFile(join(DEFAULT_SOURCES_DIR, file)).id).toBe(raw.id);
    }
    expect(loadSources(DEFAULT_SOURCES_DIR).map((s) => s.kind)).toEqual(expect.arrayContaining(['api', 'aggregator']));
  });

  it("reads the providers themselves: first-party pages of twelve vendors and model cards of five open-weight families, each valid", () => {
    const ajv = new Ajv({ strict: false });
    createRequire(import.meta.url)('ajv-formats')(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'source.schema.json'), 'utf8')));
    const files = readdirSync(DEFAULT_SOURCES_DIR).filter((f) => f.endsWith('.json'));
    const raws = files.map((f) => JSON.parse(readFileSync(join(DEFAULT_SOURCES_DIR, f), 'utf8')));
    for (const [i, raw] of raws.entries()) expect(validate(raw), `${files[i]}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    const sources = loadSources(DEFAULT_SOURCES_DIR);
    const firstParty = sources.filter((s) => s.kind === 'first-party');
    const cards = sources.filter((s) => s.kind === 'model-card');
    expect(firstParty.length).toBeGreaterThanOrEqual(12);
    expect(cards.length).toBeGreaterThanOrEqual(5);
    const hosts = new Set(firstParty.map((s) => new URL(s.url).hostname));
    for (const vendor of ['openai', 'claude', 'google', 'mistral', 'deepseek', 'x.ai', 'aws.amazon', 'cohere', 'perplexity', 'groq', 'together', 'fireworks']) {
      expect([...hosts].some((h) => h.includes(vendor)), vendor).toBe(true);
    }
    for (const family of ['llama', 'qwen', 'mistral', 'deepseek', 'gpt-oss']) {
      expect(cards.some((s) => s.url.toLowerCase().includes(family) && s.url.startsWith('https://huggingface.co/')), family).toBe(true);
    }
    for (const s of [...firstParty, ...cards]) {
      expect(s.expect.fields.length, `${s.id} has expect rules`).toBeGreaterThan(0);
      // A vendor's page names its provider; a host's page its route, never both (the route's models are everyone's).
      expect(Boolean(s.provider) !== Boolean(s.route), `${s.id}: provider or route`).toBe(true);
    }
  });

  it('rejects a source file with a clear message naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-src-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'Bad Id', name: 'x', kind: 'blog', url: 'nope', format: 'json', extractor: 'x', trust: 2 }));
    expect(() => loadSources(dir)).toThrow(LedgerError);
    expect(() => loadSources(dir)).toThrow(/bad\.json: id: .*kind: .*url: .*trust/);
  });

  it('accepts only http: and https: source URLs, in the zod schema and the JSON Schema alike', () => {
    const ajv = new Ajv({ strict: false });
    createRequire(import.meta.url)('ajv-formats')(ajv);
    const validate = ajv.compile(JSON.parse(jsonSchemas()['source.schema.json']));
    const source = (url: string) => ({ id: 'page', name: 'A page', kind: 'first-party', url, format: 'html', extractor: 'pricing', trust: 0.9 });
    const dir = mkdtempSync(join(tmpdir(), 'ml-src-'));
    for (const url of ['https://openai.com/api/pricing/', 'http://127.0.0.1:8080/prices', 'HTTPS://EXAMPLE.COM/']) {
      writeFileSync(join(dir, 'page.json'), JSON.stringify(source(url)));
      expect(parseSourceFile(join(dir, 'page.json')).url, url).toBe(url);
      expect(validate(source(url)), url).toBe(true);
    }
    for (const url of ['file:///etc/passwd', ' file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<p>x</p>', 'ftp://example.com/prices', 'https:example.com']) {
      writeFileSync(join(dir, 'page.json'), JSON.stringify(source(url)));
      expect(() => parseSourceFile(join(dir, 'page.json')), url).toThrow(LedgerError);
      expect(() => parseSourceFile(join(dir, 'page.json')), url).toThrow(/page\.json: url: only http: and https: URLs are allowed/);
      expect(validate(source(url)), url).toBe(false);
    }
  });
});

describe('snapshots/', () => {
  it('every shipped capture hashes to the sha256 it is filed under, and belongs to a known source', () => {
    const ids = new Set(loadSources(DEFAULT_SOURCES_DIR).map((s) => s.id));
    const manifest = readManifest(DEFAULT_SNAPSHOTS_DIR);
    expect(manifest.length).toBeGreaterThanOrEqual(5);
    for (const entry of manifest) {
      expect(ids.has(entry.source_id), entry.source_id).toBe(true);
      expect(entry.file).toContain(entry.sha256);
      expect(sha256Hex(readFileSync(join(DEFAULT_SNAPSHOTS_DIR, entry.file), 'utf8'))).toBe(entry.sha256);
    }
  });
});
