import type { Argv } from 'yargs';
import { formatIpv4, formatIpv6, isGlobalIpv4, parseIpv4 } from '../../decode/ip-address.js';
import { encodeTeredoAddress } from '../../teredo/teredo-address.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

interface EncodeArgs {
  server: string;
  address: string;
  port: number;
  cone: boolean;
  flags?: string;
  json: boolean;
}

export function registerEncode(cli: Argv, context: CommandContext): Argv {
  return cli.command<EncodeArgs>(
    'encode',
    'Build a Teredo address from a server, a mapped IPv4 and a mapped port',
    (y) =>
      y
        .option('server', { type: 'string', demandOption: true, describe: 'Teredo server IPv4 (primary address)' })
        .option('address', { type: 'string', demandOption: true, describe: 'mapped (NAT-external) IPv4 of the client' })
        .option('port', { type: 'number', demandOption: true, describe: 'mapped (NAT-external) UDP port of the client' })
        .option('cone', { type: 'boolean', default: false, describe: 'set the cone flag (0x8000)' })
        .option('flags', { type: 'string', describe: 'the whole 16-bit flags field, e.g. 0x1027 (overrides --cone)' })
        .option('json', { type: 'boolean', default: false, describe: 'print a JSON object' })
        .example('$0 encode --server 65.55.158.80 --address 70.55.215.234 --port 3797 --cone', '2001:0:4137:9e50:8000:f12a:b9c8:2815')
        .epilogue(EXIT_CODES_HELP),
    (args) => {
      const server = parseIpv4(args.server);
      if (server === null) throw new UsageError(`--server: '${args.server}' is not an IPv4 address`);
      const mapped = parseIpv4(args.address);
      if (mapped === null) throw new UsageError(`--address: '${args.address}' is not an IPv4 address`);
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port: '${args.port}' is not a UDP port (0-65535)`);
      let flags = args.cone ? 0x8000 : 0;
      if (args.flags !== undefined) {
        if (!/^(0x[0-9a-f]{1,4}|\d{1,5})$/i.test(args.flags) || Number(args.flags) > 0xffff) {
          throw new UsageError(`--flags: '${args.flags}' is not a 16-bit value (e.g. 0x8000)`);
        }
        flags = Number(args.flags);
      }
      if (!isGlobalIpv4(mapped)) context.warn(`${formatIpv4(mapped)} is not a global unicast IPv4; peers and relays will refuse this address (RFC 4380 §5.2.4)`);
      const address = formatIpv6(encodeTeredoAddress({ server, mappedIp: mapped, mappedPort: args.port, flags }));
      context.stdout.write(
        args.json
          ? JSON.stringify({ address, server: formatIpv4(server), flags, mappedPort: args.port, mappedAddress: formatIpv4(mapped) }) + '\n'
          : address + '\n',
      );
      context.exit(ExitCode.ok);
    },
  );
}
