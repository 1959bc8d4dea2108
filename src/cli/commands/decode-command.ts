import type { Writable } from 'node:stream';
import Table from 'cli-table3';
import type { Argv } from 'yargs';
import { MAX_DECODE_LINE_BYTES } from '../../capture/input-limits.js';
import { describeAddress, type AddressReport } from '../address-report.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { readLines } from '../read-lines.js';

interface DecodeArgs {
  address?: string[];
  json: boolean;
}

export function registerDecode(cli: Argv, context: CommandContext): Argv {
  return cli.command<DecodeArgs>(
    'decode [address..]',
    'Decode Teredo IPv6 addresses (server, flags, mapped port and IPv4)',
    (y) =>
      y
        .positional('address', { type: 'string', array: true, describe: 'Teredo addresses; one per line on standard input when none are given' })
        .option('json', { type: 'boolean', default: false, describe: 'one JSON object per address and line (NDJSON)' })
        .example('$0 decode 2001:0:4137:9e50:8000:f12a:b9c8:2815', 'server 65.55.158.80, cone, mapped 70.55.215.234:3797')
        .example('cat addresses.txt | $0 decode --json', 'decode a list')
        .epilogue(`${EXIT_CODES_HELP}\n\ndecode exits 1 when any input is not a Teredo address; the others are still decoded.`),
    async (args) => {
      let allValid = true;
      const write = (reports: AddressReport[]): void => {
        for (const report of reports) if (!report.valid) context.warn(report.error);
        if (!reports.every((r) => r.valid)) allValid = false;
        context.stdout.write(args.json ? reports.map((r) => JSON.stringify(r)).join('\n') + (reports.length > 0 ? '\n' : '') : renderTable(reports));
      };
      if (args.address !== undefined && args.address.length > 0) {
        write(args.address.map(String).filter(isAddressLine).map(describeAddress));
      } else {
        // Standard input is streamed and decoded in batches, so that its size never matters.
        let batch: AddressReport[] = [];
        for await (const line of readLines(context.stdin)) {
          if (line.tooLong) {
            context.warn(`standard input, line ${line.number}: longer than ${MAX_DECODE_LINE_BYTES} bytes, not an address`);
            allValid = false;
          } else if (isAddressLine(line.text)) {
            batch.push(describeAddress(line.text));
          }
          if (batch.length < DECODE_BATCH) continue;
          write(batch);
          batch = [];
          await drained(context.stdout);
        }
        write(batch);
      }
      context.exit(allValid ? ExitCode.ok : ExitCode.failing);
    },
  );
}

/** Lines decoded per batch (and so per table) when reading standard input. */
const DECODE_BATCH = 1000;

function isAddressLine(line: string): boolean {
  const text = line.trim();
  return text !== '' && !text.startsWith('#');
}

/** Waits until `stream` has written out what it holds, when it asked to. */
async function drained(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain) return;
  await new Promise<void>((resolve) => {
    stream.once('drain', resolve);
    stream.once('close', resolve);
  });
}

function renderTable(reports: AddressReport[]): string {
  const valid = reports.filter((r) => r.valid);
  if (valid.length === 0) return '';
  const table = new Table({
    head: ['address', 'server', 'flags', 'cone', 'mapped port', 'mapped IPv4', 'notes'],
    style: { head: [], border: [] },
  });
  for (const r of valid) {
    if (r.kind === 'teredo') {
      table.push([r.address, r.server, r.flagsHex, r.cone ? 'yes' : 'no', String(r.mappedPort), r.mappedAddress, r.notes.join('; ')]);
    } else {
      table.push([r.address, '', '', '', '', '', `Teredo link-local: ${r.description}`]);
    }
  }
  return table.toString() + '\n';
}
