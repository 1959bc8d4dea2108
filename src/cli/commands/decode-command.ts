import type { Writable } from 'node:stream';
import type { Argv } from 'yargs';
import { MAX_DECODE_LINE_BYTES } from '../../capture/input-limits.js';
import { describeAddress, type AddressReport } from '../address-report.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { resolveFormat } from '../format-option.js';
import { readLines } from '../read-lines.js';
import { wrapText } from '../render/wrap-text.js';
import { terminalColumns } from '../terminal-width.js';

const FORMATS = ['table', 'json'] as const;

interface DecodeArgs {
  [key: string]: unknown;
  address?: string[];
}

export function registerDecode(cli: Argv, context: CommandContext): Argv {
  return cli.command<DecodeArgs>(
    'decode [address..]',
    'Decode Teredo IPv6 addresses (server, flags, mapped port and IPv4)',
    (y) =>
      y
        .positional('address', { type: 'string', array: true, describe: 'Teredo addresses; one per line on standard input when none are given' })
        .option('format', { type: 'string', describe: 'output format: table, json (one JSON object per address and line; default table)' })
        .option('json', { type: 'boolean', describe: 'same as --format json' })
        .example('$0 decode 2001:0:4137:9e50:8000:f12a:b9c8:2815', 'server 65.55.158.80, cone, mapped 70.55.215.234:3797')
        .example('cat addresses.txt | $0 decode --format json', 'decode a list')
        .epilogue(`${EXIT_CODES_HELP}\n\ndecode exits 1 when any input is not a Teredo address; the others are still decoded.`),
    async (args) => {
      const format = resolveFormat(args, FORMATS, 'table');
      const columns = terminalColumns(context.stdout);
      let allValid = true;
      const write = async (reports: AddressReport[]): Promise<void> => {
        for (const report of reports) if (!report.valid) context.warn(report.error);
        if (!reports.every((r) => r.valid)) allValid = false;
        context.stdout.write(format === 'json' ? reports.map((r) => JSON.stringify(r)).join('\n') + (reports.length > 0 ? '\n' : '') : await renderTable(reports, columns));
      };
      if (args.address !== undefined && args.address.length > 0) {
        await write(args.address.map(String).filter(isAddressLine).map(describeAddress));
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
          await write(batch);
          batch = [];
          await drained(context.stdout);
        }
        await write(batch);
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

async function renderTable(reports: AddressReport[], columns: number | null): Promise<string> {
  const valid = reports.filter((r) => r.valid);
  if (valid.length === 0) return '';
  // On a terminal narrower than the table, one block per address: every field, no line too wide.
  if (columns !== null && columns < TABLE_WIDTH) return valid.map((r) => addressBlock(r, columns)).join('');
  // Loaded here, not at start-up: every other command and the block layout do without it.
  const { default: Table } = await import('cli-table3');
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

/** Wider than this, the table (one Teredo address with notes) wraps on a terminal. */
const TABLE_WIDTH = 160;

function addressBlock(r: AddressReport, columns: number): string {
  if (!r.valid) return '';
  const fields: [string, string][] =
    r.kind === 'teredo'
      ? [
          ['server', r.server],
          ['flags', `${r.flagsHex} (cone: ${r.cone ? 'yes' : 'no'})`],
          ['mapped', `${r.mappedAddress}:${r.mappedPort}`],
          ...r.notes.map((note): [string, string] => ['note', note]),
        ]
      : [['link-local', r.description]];
  const lines = [r.address, ...fields.map(([name, value]) => `  ${name.padEnd(11)}${value}`)];
  return lines.map((line) => wrapText(line, columns, '             ')).join('\n') + '\n\n';
}
