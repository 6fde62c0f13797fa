import { createServer, type IncomingMessage } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sync } from '../../src/index.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { cli } from '../helpers/cli.ts';

const fixture = readFileSync(join(import.meta.dirname, '../fixtures/pipeline/openrouter-small.json'), 'utf8');

/** A live sync against a real HTTP server on 127.0.0.1: conditional GETs and isolated failures. */
describe('live sync', () => {
  const requests: Array<{ url: string; ifNoneMatch?: string }> = [];
  const behaviour = { etags: true, brokenFails: true, body: fixture, trickle: false };
  const server = createServer((req: IncomingMessage, res) => {
    requests.push({ url: req.url!, ifNoneMatch: req.headers['if-none-match'] as string | undefined });
    if (req.url === '/robots.txt') return res.end('User-agent: *\nAllow: /\n');
    if (req.url === '/broken') {
      if (behaviour.brokenFails) return res.writeHead(404).end('gone');
      return res.writeHead(200, { 'content-type': 'application/json' }).end(fixture.replaceAll('qwen3.5-9b', 'qwen3.5-27b'));
    }
    if (behaviour.trickle) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 50); // never idle, never done
      return void res.on('close', () => clearInterval(drip));
    }
    const etag = '"v1"';
    if (behaviour.etags && req.headers['if-none-match'] === etag) return res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/json', ...(behaviour.etags ? { etag } : {}) }).end(behaviour.body);
  });
  const dir = mkdtempSync(join(tmpdir(), 'ml-live-'));
  const db = join(dir, 'ledger.sqlite');
  const fetch = { allowPrivateNetwork: true, perHostDelayMs: 0, maxRetries: 0, retryBaseMs: 1, userAgent: 'model-ledger-test/0.1 (+https://example.test/contact)' };

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    mkdirSync(join(dir, 'sources'));
    const source = (id: string, path: string) => ({ id, name: id, kind: 'api', url: `http://127.0.0.1:${port}${path}`, format: 'json', extractor: 'openrouter', trust: 0.8 });
    writeFileSync(join(dir, 'sources', 'models.json'), JSON.stringify(source('models', '/models.json')));
    writeFileSync(join(dir, 'sources', 'broken.json'), JSON.stringify(source('broken', '/broken')));
  });
  afterAll(() => server.close());

  const run = () => sync({ db, sourcesDir: join(dir, 'sources'), offline: false, fetch });
  const readSource = (id: string) => JSON.parse(readFileSync(join(dir, 'sources', `${id}.json`), 'utf8'));
  const capturesOf = (id: string) => {
    const ledger = new Ledger(db);
    try {
      return ledger.captures.of(id).length;
    } finally {
      ledger.close();
    }
  };

  it('reads healthy sources and records the failing one without stopping', async () => {
    const summary = await run();
    const outcome = Object.fromEntries(summary.sources.map((s) => [s.source_id, s.outcome]));
    expect(outcome).toEqual({ broken: 'failed', models: 'updated' });
    expect(summary.sources.find((s) => s.source_id === 'broken')!.problems.join()).toMatch(/http/i);
    expect(summary.facts).toBeGreaterThan(5);
  });

  it('sends a conditional request next time and skips extraction on 304', async () => {
    const before = capturesOf('models');
    const summary = await run();
    const models = summary.sources.find((s) => s.source_id === 'models')!;
    expect(models.outcome).toBe('unchanged');
    expect(requests.filter((r) => r.url === '/models.json').at(-1)!.ifNoneMatch).toBe('"v1"');
    expect(capturesOf('models')).toBe(before);
    // A 304 says the page is still its basis: the report names that capture.
    const ledger = new Ledger(db);
    try {
      expect(models.snapshot).toBe(ledger.captures.current('models')!.sha256);
    } finally {
      ledger.close();
    }
  });

  it('treats a 200 whose body hashes to the basis as unchanged, with no new capture', async () => {
    behaviour.etags = false;
    const before = capturesOf('models');
    const summary = await run();
    expect(summary.sources.find((s) => s.source_id === 'models')!.outcome).toBe('unchanged');
    expect(capturesOf('models')).toBe(before);
  });

  it('reads robots.txt once across syncs: the ledger keeps it for 24 hours', () => {
    // Every sync above ran against the same origin.
    expect(requests.filter((r) => r.url === '/robots.txt')).toHaveLength(1);
    const ledger = new Ledger(db);
    try {
      expect(ledger.sources.robotsCache().get(new URL(readSource('models').url).origin)?.text).toMatch(/Allow: \//);
    } finally {
      ledger.close();
    }
  });

  it('keeps the last good facts of a source that starts failing', async () => {
    behaviour.brokenFails = false;
    await run();
    const ledger = new Ledger(db);
    const factsBefore = ledger.facts.list().length;
    expect(ledger.facts.list({ model: 'qwen/qwen3.5-27b' }).length).toBeGreaterThan(0);
    ledger.close();
    behaviour.brokenFails = true;
    const summary = await run();
    expect(summary.sources.find((s) => s.source_id === 'broken')!.outcome).toBe('failed');
    const after = new Ledger(db);
    try {
      expect(after.facts.list().length).toBe(factsBefore);
      expect(after.facts.list({ model: 'qwen/qwen3.5-27b' }).length).toBeGreaterThan(0);
      expect(after.sources.state('broken')!.consecutive_failures).toBe(1);
      expect(after.captures.current('broken')).not.toBeNull();
    } finally {
      after.close();
    }
    const sources = (await cli(['--db', db, '--sources', join(dir, 'sources'), 'sources', '--json'])).json();
    const broken = sources.find((s: any) => s.id === 'broken');
    expect(broken).toMatchObject({ last_status: 'failed', last_error_class: 'http', last_http_status: 404, consecutive_failures: 1 });
    expect(broken.last_success_at < broken.last_failure_at).toBe(true);
    expect(sources.find((s: any) => s.id === 'models')).toMatchObject({ last_status: 'unchanged', consecutive_failures: 0, etag: '"v1"' });
  });

  it('fails a source still trickling at its deadline as "deadline", and keeps its last good facts', async () => {
    const ledger = new Ledger(db);
    const factsBefore = ledger.facts.list().length;
    ledger.close();
    behaviour.trickle = true;
    let summary;
    try {
      summary = await sync({ db, sourcesDir: join(dir, 'sources'), offline: false, fetch: { ...fetch, sourceDeadlineMs: 300 } });
    } finally {
      behaviour.trickle = false;
    }
    const models = summary.sources.find((s) => s.source_id === 'models')!;
    expect(models.outcome).toBe('failed');
    expect(models.problems.join()).toMatch(/^deadline: not read within the source's deadline of 0\.3 s/);
    const after = new Ledger(db);
    try {
      expect(after.facts.list().length).toBe(factsBefore);
      expect(after.sources.state('models')!.consecutive_failures).toBe(1);
    } finally {
      after.close();
    }
    const sources = (await cli(['--db', db, '--sources', join(dir, 'sources'), 'sources', '--json'])).json();
    expect(sources.find((s: any) => s.id === 'models')).toMatchObject({ last_status: 'failed', last_error_class: 'deadline', last_attempts: 1 });
  });
});
