import { teredo } from './packet-factory.js';

/** The network of the Wireshark sample capture (fixtures/real/wireshark-teredo.pcap), for hand-built packets. */
export const P = '65.55.158.80';
export const S = '65.55.158.81';
export const CLIENT = '192.168.2.16:3797';
export const MAPPED = '70.55.215.234:3797';
export const RELAY = '83.170.1.38:32900';
export const RELAY_LL = 'fe80::708d:fe83:4114:a512';
export const HOST = '2001:4860:0:2001::68';
export const ME = teredo(P, MAPPED, true);
