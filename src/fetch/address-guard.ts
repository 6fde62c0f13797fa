import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { FetchFailure } from './errors.ts';

/** One resolved address, as `dns.lookup(host, { all: true })` gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; the fetcher checks them all and connects only to those. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** [first address as a number, prefix length, why it is refused]: IPv4 ranges that are not the public internet. */
const V4_BLOCKED: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved (IETF protocol assignments)'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved (benchmarking)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function v4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const V4_RANGES = V4_BLOCKED.map(([start, prefix, reason]) => ({ start: v4ToNumber(start), size: 2 ** (32 - prefix), reason }));

function classifyV4(address: string): string | null {
  const n = v4ToNumber(address);
  for (const range of V4_RANGES) if (n >= range.start && n < range.start + range.size) return range.reason;
  return null;
}

/** An IPv6 address as its eight 16-bit groups; an embedded dotted IPv4 tail counts as the last two. */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToNumber(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill(0);
  return [...left, ...fill, ...right];
}

function classifyV6(address: string): string | null {
  const g = v6Groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embeddedV4 = () => `${g[6] >>> 8}.${g[6] & 0xff}.${g[7] >>> 8}.${g[7] & 0xff}`;
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach an IPv4 address: judge that one.
  if (zeros(0, 5) && g[5] === 0xffff) return classifyV4(embeddedV4());
  if (zeros(0, 6)) return classifyV4(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return classifyV4(embeddedV4());
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private (site-local)';
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/**
 * Why `address` (an IP literal) is not on the public internet: loopback, private, link-local,
 * unique-local, unspecified and the like, IPv4-mapped IPv6 forms included; null when it is public.
 */
export function blockedAddressReason(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare.split('%')[0]);
  if (family === 4) return classifyV4(bare);
  if (family === 6) return classifyV6(bare);
  return 'not an IP address';
}

const blocked = (what: string, reason: string, url?: string) =>
  new FetchFailure(
    'blocked',
    `${what} is ${reason}, not the public internet; refused (allow it with "allow_private_network": true on the source, or --allow-private-network)${url ? ` (${url})` : ''}`,
  );

/** Every address of `hostname`, each checked; throws a 'blocked' failure if any is not public. */
export async function publicAddresses(hostname: string, resolve: HostResolver, url?: string): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'ENOTFOUND';
    throw new FetchFailure('network', `${code}: cannot resolve ${hostname}${url ? ` (${url})` : ''}`, code === 'EAI_AGAIN');
  }
  if (addresses.length === 0) throw new FetchFailure('network', `ENOTFOUND: ${hostname} has no address${url ? ` (${url})` : ''}`);
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) throw blocked(`${hostname} resolves to ${address}, which`, reason, url);
  }
  return addresses;
}

/**
 * The check every hop passes before anything is sent (`parsed` is `url` parsed): an http(s) URL
 * whose host, an IP literal or every address its name resolves to, is on the public internet
 * (unless private networks are allowed). It throws a FetchFailure, or returns a promise that
 * rejects with one, only when a host name must be looked up: a fetcher checks each of a thousand
 * hops without a promise when none is needed.
 */
export function checkHop(url: string, parsed: URL, allowPrivate: boolean, resolve: HostResolver): Promise<unknown> | undefined {
  const hostname = hostToResolve(url, parsed, allowPrivate);
  return hostname === null ? undefined : publicAddresses(hostname, resolve, url);
}

/**
 * The part of the hop check that needs no lookup: the scheme, and an IP literal's address. The
 * host name whose addresses must still be checked, or null when the hop is settled.
 */
function hostToResolve(url: string, parsed: URL, allowPrivate: boolean): string | null {
  const { protocol, hostname } = parsed;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new FetchFailure('blocked', `only http(s) URLs are fetched, not ${protocol} (${url})`);
  }
  if (allowPrivate) return null;
  const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(literal)) {
    const reason = blockedAddressReason(literal);
    if (reason) throw blocked(`${literal}`, reason, url);
    return null;
  }
  return hostname;
}

/**
 * The lookup undici's sockets use (`connect: { lookup }`): it resolves, checks and hands the socket
 * only the addresses it checked, so a name that answers differently the second time (DNS
 * rebinding) cannot slip a private address in between the check and the connection.
 * With `allowPrivate` it only resolves (through the same resolver).
 */
export function connectLookup(resolve: HostResolver, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const found = allowPrivate ? resolve(hostname) : publicAddresses(hostname, resolve);
    found.then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const addresses = wanted.length > 0 ? wanted : all;
        if (addresses.length === 0) {
          const error = Object.assign(new Error(`ENOTFOUND: ${hostname} has no address`), { code: 'ENOTFOUND' });
          return void callback(error, '', 0);
        }
        if (options.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
