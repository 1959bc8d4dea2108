import type { Prng } from './prng.js';
import { concatBytes } from '../capture/capture-file.js';

/** Minimal DNS wire format (RFC 1035, EDNS0 of RFC 6891) for the background lookups. */

export const DNS_NAMES = [
  'www.example.com', 'mail.example.org', 'cdn.jsdelivr.net', 'api.github.com', 'update.microsoft.com', 'time.windows.com',
  'teredo.ipv6.microsoft.com', 'www.wikipedia.org', 'fonts.gstatic.com', 'ocsp.digicert.com', 'ntp.ubuntu.com',
  'clients4.google.com', 'graph.facebook.com', 'i.ytimg.com', 'static.xx.fbcdn.net', 'outlook.office365.com',
  'login.live.com', 'settings-win.data.microsoft.com', 'push.apple.com', 'dns.google', 'registry.npmjs.org',
  'pypi.org', 'deb.debian.org', 'archive.ubuntu.com', 'www.bbc.co.uk', 'news.ycombinator.com', 'en.m.wikipedia.org',
  'slack.com', 'zoom.us', 'teams.microsoft.com',
];

const TYPE_A = 1;
const TYPE_AAAA = 28;
const TYPE_DNSKEY = 48;
const CLASS_IN = 1;
const QUERY_TYPES = [TYPE_A, TYPE_A, TYPE_AAAA, 65];

export interface DnsExchange {
  query: Uint8Array;
  response: Uint8Array;
}

/** A query and its answer; `large` gives a DNSSEC-sized answer (IPv4 fragments it). */
export function dnsExchange(prng: Prng, large: boolean): DnsExchange {
  const id = prng.int(65536);
  const name = encodeName(prng.pick(DNS_NAMES));
  const qtype = large ? TYPE_DNSKEY : prng.pick(QUERY_TYPES);
  const question = concatBytes([name, u16(qtype), u16(CLASS_IN)]);
  const opt = Uint8Array.of(0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0);
  const query = concatBytes([u16(id), u16(0x0100), u16(1), u16(0), u16(0), u16(1), question, opt]);
  const answers: Uint8Array[] = [];
  const count = large ? 1 : qtype === 65 ? 0 : prng.range(1, 4);
  for (let i = 0; i < count; i++) {
    const rdata = large ? prng.fill(new Uint8Array(prng.range(1600, 2400))) : prng.fill(new Uint8Array(qtype === TYPE_AAAA ? 16 : 4));
    answers.push(concatBytes([u16(0xc00c), u16(qtype), u16(CLASS_IN), u32(prng.range(30, 86400)), u16(rdata.length), rdata]));
  }
  const response = concatBytes([u16(id), u16(0x8180), u16(1), u16(answers.length), u16(0), u16(1), question, ...answers, opt]);
  return { query, response };
}

function encodeName(name: string): Uint8Array {
  const parts: number[] = [];
  for (const label of name.split('.')) {
    parts.push(label.length);
    for (let i = 0; i < label.length; i++) parts.push(label.charCodeAt(i));
  }
  parts.push(0);
  return Uint8Array.from(parts);
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value >>> 8, value & 0xff);
}

function u32(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}
