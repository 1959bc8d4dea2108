/**
 * Every bound on what a hostile input can make grow, in one place; docs/robustness-limits.md says
 * what each one is for and what happens past it. A capture is the attacker's to write: nothing it
 * declares may size a table without one of these.
 */

/**
 * Interfaces (pcapng Interface Description Blocks) one section may declare. Past it the capture
 * is damaged: exit 4, with every packet before the offending block reported. An IDB costs the
 * attacker 20 bytes (and far less gzipped), so without a bound a 3 MB file described tens of
 * millions of interfaces. 65,536 is the id space of the obsolete packet block; no capture tool
 * writes more than a few hundred.
 */
export const MAX_INTERFACES_PER_SECTION = 65_536;

/**
 * Link types that one "not supported" warning names one by one; the rest are counted in the same
 * line. A capture may declare every one of the 65,536 link types, and once printed a line each.
 */
export const MAX_LINK_TYPES_NAMED = 5;

/**
 * UDP endpoints (address:port) kept per client. Packets from one Teredo client normally come from
 * a handful of sockets (a NAT that changes its mapping adds one each time); a flood from many
 * sockets claiming one client's Teredo address is spoofing, and is reported as an
 * `address-mismatch` finding with the count of packets from sockets not kept.
 */
export const MAX_ENDPOINTS_PER_CLIENT = 64;

/**
 * Capture files opened at once while sniffing a directory's files and peeking at first timestamps
 * (ordering many files): ten thousand rotated files must not mean ten thousand open descriptors.
 */
export const MAX_FILES_OPEN_WHILE_ORDERING = 16;

/**
 * Decode worker threads (`--workers`) running at once, and the smallest file worth one: starting a
 * worker costs about 50 ms, more than reading a small file takes.
 */
export const MAX_DECODE_WORKERS = 4;
export const MIN_WORKER_FILE_BYTES = 8 * 1024 * 1024;

/** Longest line `decode` reads from standard input; a longer one is reported and skipped, not held. */
export const MAX_DECODE_LINE_BYTES = 4096;
