import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedAddressReason, checkHop, type HostResolver, type ResolvedAddress } from '../../src/fetch/address-guard.ts';
import { chromiumPath, isExecutable } from '../../src/fetch/browser.ts';
import { createFetcher, type FetcherOptionsInput } from '../../src/fetch/index.ts';
import { cli } from '../helpers/cli.ts';
import { FAST, html, makeSource, startServer, type Route, type TestServer } from './server.ts';

const OK_PAGE = '<html><body><table><tr><td>GPT-5.2 Codex</td><td>$1.75</td></tr></table></body></html>';
const redirectTo =
  (location: string): Route =>
  (_req, res) =>
    void res.writeHead(302, { location }).end();

/** The same limits as the other fetch tests, without their blanket permission to reach 127.0.0.1. */
const { allowPrivateNetwork: _allowed, ...GUARDED } = FAST;

/** A resolver answering from a table, counting its calls: a name may answer differently each time. */
function fakeResolver(table: Record<string, string | string[]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const seen = new Map<string, number>();
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const answers = table[hostname];
    if (answers === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const n = seen.get(hostname) ?? 0;
    seen.set(hostname, n + 1);
    const address = Array.isArray(answers) ? answers[Math.min(n, answers.length - 1)] : answers;
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  return Object.assign(resolve, { calls });
}

describe('which addresses are not the public internet', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private (carrier-grade NAT)'],
    ['100.127.255.255', 'private (carrier-grade NAT)'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:169.254.169.254]', 'link-local'],
    ['::ffff:a00:1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '169.255.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:db8::1'])(
    'lets %s through',
    (address) => {
      expect(blockedAddressReason(address)).toBeNull();
    },
  );

  it('checks a hop by its scheme, its literal address or every address its name resolves to', async () => {
    const resolve = fakeResolver({ 'public.test': '203.0.113.10', 'metadata.test': '169.254.169.254', 'split.test': '203.0.113.11' });
    const check = async (url: string, allowPrivate = false) => {
      await checkHop(url, new URL(url), allowPrivate, resolve);
    };
    await expect(check('https://public.test/pricing')).resolves.toBeUndefined();
    await expect(check('http://metadata.test/latest/meta-data/')).rejects.toMatchObject({ errorClass: 'blocked', message: expect.stringMatching(/169\.254\.169\.254, which is link-local/) });
    await expect(check('http://[::ffff:127.0.0.1]:8080/')).rejects.toMatchObject({ errorClass: 'blocked' });
    await expect(check('http://169.254.169.254/')).rejects.toMatchObject({ errorClass: 'blocked' });
    await expect(check('file:///etc/passwd', true)).rejects.toMatchObject({ errorClass: 'blocked', message: expect.stringMatching(/only http\(s\).*file:/) });
    await expect(check('ftp://public.test/x', true)).rejects.toMatchObject({ errorClass: 'blocked' });
    await expect(check('http://metadata.test/', true)).resolves.toBeUndefined();
  });
});

describe('the fetcher refuses every hop to a non-public address', () => {
  let server: TestServer;
  let port: string;
  const fetchers: Array<ReturnType<typeof createFetcher>> = [];
  const fetcher = (options: Partial<FetcherOptionsInput> = {}) => {
    const f = createFetcher({ ...GUARDED, ...options });
    fetchers.push(f);
    return f;
  };

  beforeAll(async () => {
    server = await startServer({
      '/page': html(OK_PAGE),
      '/final': html(OK_PAGE),
      '/to-metadata': redirectTo('http://169.254.169.254/latest/meta-data/'),
      '/to-file': redirectTo('file:///etc/passwd'),
      '/to-ftp': redirectTo('ftp://127.0.0.1/prices.csv'),
      '/to-same-host': redirectTo('/final'),
    });
    port = new URL(server.origin).port;
    server.route('/to-other-host', redirectTo(`http://localhost:${port}/final`));
  });
  afterAll(async () => {
    await Promise.all(fetchers.map((f) => f.close()));
    await server.close();
  });

  it('refuses a source on 127.0.0.1 without sending anything, and fetches it when private networks are allowed', async () => {
    const source = makeSource({ url: `${server.origin}/page` });
    const refused = await fetcher().fetchSource(source, null);
    expect(refused.status).toBe('failed');
    expect(refused.error?.class).toBe('blocked');
    expect(refused.error?.message).toMatch(/127\.0\.0\.1 is loopback.*allow_private_network/);
    expect(refused.attempts).toBe(0);
    expect(server.requests).toHaveLength(0); // not even robots.txt

    const allowed = await fetcher({ allowPrivateNetwork: true }).fetchSource(source, null);
    expect(allowed.status).toBe('fetched');
    expect(server.hits('/page')).toHaveLength(1);
  });

  it('refuses the IPv4-mapped IPv6 form of loopback', async () => {
    const outcome = await fetcher().fetchSource(makeSource({ url: `http://[::ffff:127.0.0.1]:${port}/page`, robots: 'ignore' }), null);
    expect(outcome.error?.class).toBe('blocked');
    expect(outcome.error?.message).toMatch(/loopback/);
  });

  it('lets a source that says allow_private_network reach its own host, and no other private host', async () => {
    const own = { allow_private_network: true, robots: 'ignore' as const };
    const f = fetcher();
    const same = await f.fetchSource(makeSource({ url: `${server.origin}/to-same-host`, ...own }), null);
    expect(same.status).toBe('fetched');
    expect(same.snapshot?.url).toBe(`${server.origin}/final`);

    const metadata = await f.fetchSource(makeSource({ url: `${server.origin}/to-metadata`, ...own }), null);
    expect(metadata.status).toBe('failed');
    expect(metadata.error?.class).toBe('blocked');
    expect(metadata.error?.message).toMatch(/169\.254\.169\.254 is link-local/);

    const hits = server.hits('/final').length;
    const other = await f.fetchSource(makeSource({ url: `${server.origin}/to-other-host`, ...own }), null);
    expect(other.error?.class).toBe('blocked');
    expect(other.error?.message).toMatch(/localhost resolves to .*(127\.0\.0\.1|::1), which is loopback/);
    expect(server.hits('/final')).toHaveLength(hits); // the redirect was never followed
  });

  it('refuses a redirect to file: or ftp:, even where private networks are allowed', async () => {
    const f = fetcher({ allowPrivateNetwork: true });
    for (const path of ['/to-file', '/to-ftp']) {
      const outcome = await f.fetchSource(makeSource({ url: `${server.origin}${path}`, robots: 'ignore' }), null);
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.class).toBe('blocked');
      expect(outcome.error?.message).toMatch(/only http\(s\) URLs are fetched, not (file|ftp):/);
      expect(outcome.attempts).toBe(1);
    }
  });

  it('refuses a host name whose address is private, before connecting', async () => {
    const lookup = fakeResolver({ 'intranet.test': '10.0.0.5', 'metadata.test': '::ffff:169.254.169.254' });
    const f = fetcher({ lookup });
    for (const host of ['intranet.test', 'metadata.test']) {
      const outcome = await f.fetchSource(makeSource({ url: `http://${host}:${port}/page` }), null);
      expect(outcome.error?.class).toBe('blocked');
      expect(outcome.error?.message).toMatch(new RegExp(`${host} resolves to`));
    }
    expect(lookup.calls).toEqual(['intranet.test', 'metadata.test']);
  });

  it('connects to the address it checked: a name that rebinds to 127.0.0.1 after the check is refused at connect', async () => {
    // The first answer is public and passes the hop check; the socket's own lookup gets 127.0.0.1.
    const lookup = fakeResolver({ 'rebind.test': ['203.0.113.7', '127.0.0.1'] });
    const before = server.requests.length;
    const outcome = await fetcher({ lookup }).fetchSource(makeSource({ url: `http://rebind.test:${port}/page`, robots: 'ignore' }), null);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('blocked');
    expect(outcome.error?.message).toMatch(/rebind\.test resolves to 127\.0\.0\.1, which is loopback/);
    expect(lookup.calls).toEqual(['rebind.test', 'rebind.test']); // checked, then resolved again by the socket, and refused
    expect(outcome.attempts).toBe(1); // refused, not retried
    expect(server.requests.length).toBe(before);
  });

  it('resolves through the same lookup when it connects, so a name reaches exactly the address it was given', async () => {
    // 'anything.test' exists only in this resolver: the connection found the server through it.
    const lookup = fakeResolver({ 'anything.test': '127.0.0.1' });
    const outcome = await fetcher({ allowPrivateNetwork: true, lookup }).fetchSource(makeSource({ url: `http://anything.test:${port}/page`, robots: 'ignore' }), null);
    expect(outcome.status).toBe('fetched');
    expect(lookup.calls).toContain('anything.test');
  });

  it('refuses a robots.txt that redirects into a private network, and fetches nothing more', async () => {
    const robots = await startServer({ '/robots.txt': redirectTo('http://169.254.169.254/robots.txt'), '/page': html(OK_PAGE) });
    try {
      const outcome = await fetcher().fetchSource(makeSource({ url: `${robots.origin}/page`, allow_private_network: true }), null);
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.class).toBe('blocked');
      expect(outcome.error?.message).toMatch(/169\.254\.169\.254 is link-local.*robots\.txt/);
      expect(robots.requests.map((r) => r.path)).toEqual(['/robots.txt']);
    } finally {
      await robots.close();
    }
  });
});

describe('sync --allow-private-network', () => {
  let server: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'ml-ssrf-'));
  beforeAll(async () => {
    server = await startServer({ '/models.json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}') });
    mkdirSync(join(dir, 'sources'));
    const source = { id: 'local', name: 'local', kind: 'api', url: `${server.origin}/models.json`, format: 'json', extractor: 'openrouter', trust: 0.8, robots: 'ignore' };
    writeFileSync(join(dir, 'sources', 'local.json'), JSON.stringify(source));
  });
  afterAll(() => server.close());

  it('fails a source on 127.0.0.1 as blocked without the flag, without crashing the sync, and reads it with the flag', async () => {
    const args = ['--db', join(dir, 'l.sqlite'), '--sources', join(dir, 'sources'), 'sync', '--per-host-delay', '0', '--json'];
    const refused = await cli(args);
    expect(refused.code).toBe(2); // no source succeeded: the sync ran and reported it
    expect(refused.json().sources[0].problems.join()).toMatch(/^blocked: 127\.0\.0\.1 is loopback/);
    expect(server.requests).toHaveLength(0);
    const allowed = await cli([...args, '--allow-private-network']);
    expect(allowed.json().sources[0].outcome).not.toBe('failed');
    expect(server.hits('/models.json')).toHaveLength(1);
  });
});

const runBrowserTests = isExecutable(chromiumPath()) || process.env.CI === 'true';

describe('render: browser', () => {
  it.runIf(runBrowserTests)(
    'a rendered page’s requests to another private host, GET or POST, are refused; its own host’s data still loads',
    async () => {
      const server = await startServer({
        '/ok.json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"model":"Allowed"}'),
        '/secret.json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"model":"Secret"}'),
        '/post': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"model":"Posted"}'),
      });
      const other = `http://localhost:${new URL(server.origin).port}`; // the same server under another, private, host name
      const show = (label: string) => `.then((r) => r.json()).then((j) => j.model, () => 'refused').then((m) => document.body.insertAdjacentHTML('beforeend', '<p id="${label}">' + m + '</p>'))`;
      server.route(
        '/page',
        html(`<!doctype html><html><body><script>
          Promise.all([
            fetch('/ok.json')${show('own')},
            fetch('${other}/secret.json')${show('get')},
            fetch('${other}/post', { method: 'POST', body: 'x' })${show('post')},
          ]).then(() => document.body.insertAdjacentHTML('beforeend', '<p id="done">done</p>'));
        </script></body></html>`),
      );
      const fetcher = createFetcher({ ...GUARDED, browserTimeoutMs: 15_000 });
      try {
        const outcome = await fetcher.fetchSource(makeSource({ url: `${server.origin}/page`, render: 'browser', robots: 'ignore', allow_private_network: true }), null);
        expect(outcome.error).toBeUndefined();
        const body = outcome.snapshot!.body;
        expect(body).toContain('<p id="done">done</p>');
        expect(body).toContain('<p id="own">Allowed</p>');
        expect(body).toContain('<p id="get">refused</p>');
        expect(body).toContain('<p id="post">refused</p>');
        expect(server.hits('/ok.json')).toHaveLength(1);
        expect(server.hits('/secret.json')).toHaveLength(0);
        expect(server.hits('/post')).toHaveLength(0);
      } finally {
        await fetcher.close();
        await server.close();
      }
    },
    30_000,
  );
});
