import type { Argv } from 'yargs';
import { formatIpv4, formatIpv6, isGlobalIpv4, parseIpv4 } from '../../decode/ip-address.js';
import { encodeTeredoAddress } from '../../teredo/teredo-address.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { resolveFormat } from '../format-option.js';
import { flag, integer, single, typed } from '../option-values.js';
import { UsageError } from '../usage-error.js';

const FORMATS = ['text', 'json'] as const;

interface EncodeArgs {
  [key: string]: unknown;
}

export function registerEncode(cli: Argv, context: CommandContext): Argv {
  return cli.command<EncodeArgs>(
    'encode',
    'Build a Teredo address from a server, a mapped IPv4 and a mapped port',
    (y) =>
      y
        .option('server', { type: 'string', demandOption: true, describe: 'Teredo server IPv4 (primary address)' })
        .option('address', { type: 'string', demandOption: true, describe: 'mapped (NAT-external) IPv4 of the client' })
        .option('port', { type: 'string', demandOption: true, describe: 'mapped (NAT-external) UDP port of the client' })
        .option('cone', { type: 'boolean', describe: 'set the cone flag (0x8000)' })
        .option('flags', { type: 'string', describe: 'the whole 16-bit flags field, e.g. 0x1027 (overrides --cone)' })
        .option('format', { type: 'string', describe: 'output format: text, json (default text)' })
        .option('json', { type: 'boolean', describe: 'same as --format json' })
        .example('$0 encode --server 65.55.158.80 --address 70.55.215.234 --port 3797 --cone', '2001:0:4137:9e50:8000:f12a:b9c8:2815')
        .epilogue(EXIT_CODES_HELP),
    (args) => {
      const format = resolveFormat(args, FORMATS, 'text');
      const serverText = single(args.server, 'server') ?? '';
      const server = parseIpv4(serverText);
      if (server === null) throw new UsageError(`--server: ${typed(serverText)} is not an IPv4 address`);
      const addressText = single(args.address, 'address') ?? '';
      const mapped = parseIpv4(addressText);
      if (mapped === null) throw new UsageError(`--address: ${typed(addressText)} is not an IPv4 address`);
      const port = integer(single(args.port, 'port') ?? '', 'port', 0, 65535);
      let flags = flag(args.cone, 'cone') ? 0x8000 : 0;
      const flagsText = single(args.flags, 'flags');
      if (flagsText !== undefined) {
        if (!/^(0x[0-9a-f]{1,4}|\d{1,5})$/i.test(flagsText) || Number(flagsText) > 0xffff) {
          throw new UsageError(`--flags: ${typed(flagsText)} is not a 16-bit value (e.g. 0x8000)`);
        }
        flags = Number(flagsText);
      }
      if (!isGlobalIpv4(mapped)) context.warn(`${formatIpv4(mapped)} is not a global unicast IPv4; peers and relays will refuse this address (RFC 4380 §5.2.4)`);
      const address = formatIpv6(encodeTeredoAddress({ server, mappedIp: mapped, mappedPort: port, flags }));
      context.stdout.write(
        format === 'json'
          ? JSON.stringify({ address, server: formatIpv4(server), flags, mappedPort: port, mappedAddress: formatIpv4(mapped) }) + '\n'
          : address + '\n',
      );
      context.exit(ExitCode.ok);
    },
  );
}
