import type { Prng } from './prng.js';

/**
 * The simulated Internet around the capture point: Teredo servers, relays, the native IPv6 hosts
 * Teredo clients talk to, and the hosts of the non-Teredo background traffic. Teredo servers and
 * relays sit in the documentation ranges; clients and background hosts get distinct addresses from
 * disjoint sets of /8s so that no background socket ever collides with a Teredo one.
 */

export interface TeredoServer {
  primary: number;
  secondary: number;
}

export interface Relay {
  ip: number;
  port: number;
  linkLocal: Uint8Array;
}

const CLIENT_PREFIXES = [24, 31, 62, 77, 81, 90, 109, 176, 188, 213];
const LOCAL_PREFIXES = [37, 46, 79, 85, 95];
const REMOTE_PREFIXES = [23, 104, 142, 151, 157, 185];
const NATIVE_PREFIXES = ['2a001450', '26064700', '26200000', '20014860', '2a0398e0'];
const RESOLVERS = [0x01010101, 0x08080808, 0x09090909, 0xd043dede];
const NATIVE_HOSTS = 256;
const REMOTE_SERVERS = 512;
const RELAYS = 8;

export class NetworkPlan {
  readonly servers: TeredoServer[];
  readonly relays: Relay[];
  readonly nativeHosts: Uint8Array[];
  readonly remoteServers: number[];
  readonly resolvers = RESOLVERS;
  private readonly clientSalt: number;
  private readonly localSalt: number;

  constructor(prng: Prng) {
    this.servers = [0x63, 0x66, 0x6a].map((last) => ({ primary: ipv4(198, 51, 100, last), secondary: ipv4(198, 51, 100, last + 1) }));
    this.relays = [];
    for (let i = 0; i < RELAYS; i++) {
      const linkLocal = new Uint8Array(16);
      linkLocal[0] = 0xfe;
      linkLocal[1] = 0x80;
      prng.fill(linkLocal.subarray(8));
      this.relays.push({ ip: ipv4(192, 0, 2, 20 + i * 7), port: prng.range(1025, 65535), linkLocal });
    }
    this.nativeHosts = [];
    for (let i = 0; i < NATIVE_HOSTS; i++) {
      const host = new Uint8Array(16);
      const prefix = Number.parseInt(NATIVE_PREFIXES[i % NATIVE_PREFIXES.length], 16);
      host[0] = prefix >>> 24;
      host[1] = (prefix >>> 16) & 0xff;
      host[2] = (prefix >>> 8) & 0xff;
      host[3] = prefix & 0xff;
      prng.fill(host.subarray(4));
      this.nativeHosts.push(host);
    }
    this.remoteServers = [];
    for (let i = 0; i < REMOTE_SERVERS; i++) this.remoteServers.push(spread(REMOTE_PREFIXES, i, prng.uint32()));
    this.clientSalt = prng.uint32();
    this.localSalt = prng.uint32();
  }

  /** Public IPv4 of Teredo client n: distinct for every n below 10 × 2^24. */
  clientIp(n: number): number {
    return spread(CLIENT_PREFIXES, n, this.clientSalt);
  }

  /** IPv4 of local (capture-side) background host n. */
  localHost(n: number): number {
    return spread(LOCAL_PREFIXES, n, this.localSalt);
  }
}

export function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** prefix[n mod k] . bijective 24-bit scramble of n div k: distinct n give distinct addresses. */
function spread(prefixes: readonly number[], n: number, salt: number): number {
  const k = prefixes.length;
  let x = Math.floor(n / k) & 0xffffff;
  x = (Math.imul(x, 0x9e3779) + salt) & 0xffffff;
  x ^= x >>> 11;
  x = Math.imul(x, 0x2c1b3d) & 0xffffff;
  // Host part .0 and .255 are avoided by nudging; the nudge keeps distinctness within a /8 only
  // approximately, which is harmless (two clients sharing a NAT is realistic too).
  if ((x & 0xff) === 0 || (x & 0xff) === 0xff) x ^= 0x01;
  return ((prefixes[n % k] << 24) | x) >>> 0;
}

/** A random port that is not the Teredo server port. */
export function randomPort(prng: Prng): number {
  const port = prng.range(1025, 65535);
  return port === 3544 ? 3545 : port;
}
