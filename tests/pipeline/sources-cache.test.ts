import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParseCache } from '../../src/pipeline/kept-parse.ts';
import { loadSources } from '../../src/pipeline/sources.ts';

const source = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, name: id, kind: 'aggregator', url: `https://example.test/${id}`, format: 'html', extractor: 'aggregator', trust: 0.5, ...extra });

function sourcesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sources-cache-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A cache in memory that counts its writes. */
function memoryCache(initial: string | null = null): ParseCache & { value: string | null; writes: number } {
  const cache = {
    value: initial,
    writes: 0,
    read: () => cache.value,
    write: (value: string) => {
      cache.value = value;
      cache.writes++;
    },
  };
  return cache;
}

describe('loadSources with a cache of validated sources', () => {
  it('gives what validating gives, and validates unchanged files only once', () => {
    const dir = sourcesDir({ 'a.json': source('a'), 'b.json': source('b', { provider: 'openai', expect: { min_models: 3 } }) });
    const cache = memoryCache();
    const first = loadSources(dir, cache);
    expect(first).toEqual(loadSources(dir));
    expect(first[0].render).toBe('http'); // the schema's defaults are in what is kept
    expect(loadSources(dir, cache)).toEqual(first);
    expect(cache.writes).toBe(1);
  });

  it('hands back what it holds while the files are the same bytes', () => {
    const dir = sourcesDir({ 'a.json': source('a') });
    const cache = memoryCache();
    loadSources(dir, cache);
    const held = JSON.parse(cache.value!);
    held.value[0].name = 'kept';
    cache.value = JSON.stringify(held);
    expect(loadSources(dir, cache)[0].name).toBe('kept');
  });

  it('validates again when a file changes, and a bad file still stops the run', () => {
    const dir = sourcesDir({ 'a.json': source('a'), 'b.json': source('b') });
    const cache = memoryCache();
    loadSources(dir, cache);
    writeFileSync(path.join(dir, 'b.json'), source('b', { trust: 0.9 }));
    expect(loadSources(dir, cache)[1].trust).toBe(0.9);
    expect(cache.writes).toBe(2);
    writeFileSync(path.join(dir, 'b.json'), source('b', { url: 'file:///etc/passwd' }));
    expect(() => loadSources(dir, cache)).toThrow(/b\.json: url: only http/);
  });

  it('validates again when a file is added or renamed', () => {
    const dir = sourcesDir({ 'a.json': source('a') });
    const cache = memoryCache();
    loadSources(dir, cache);
    writeFileSync(path.join(dir, 'c.json'), source('a'));
    expect(() => loadSources(dir, cache)).toThrow(/defined twice/);
  });

  it('treats an unreadable cache as empty', () => {
    const dir = sourcesDir({ 'a.json': source('a') });
    for (const junk of ['{not json', '{"key":1}', '[]']) {
      const cache = memoryCache(junk);
      expect(loadSources(dir, cache)).toEqual(loadSources(dir));
      expect(cache.writes).toBe(1);
    }
  });
});
