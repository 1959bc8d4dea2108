import { frameDisplayFilter } from '../analysis/display-filter.js';
import type { FindingKind } from '../analysis/finding.js';
import { checkJsonSchema } from './json-schema-check.js';
import { REPORT_JSON_SCHEMA } from './report-json-schema.js';
import { ReportClientList } from './report-client-list.js';
import { REPORT_SCHEMA, type FrameLocation, type Report, type ReportCapture, type ReportClient, type ReportFinding, type ReportHolePunch } from './report.js';

/**
 * One report from the JSON reports of disjoint shards: captures split by client (the public IPv4
 * address's hash, which keeps each client on one shard), analysed apart. The merged report is the
 * one `analyze` gives for several captures: the shards' captures in the order given, every capture
 * index renumbered into that list, and the several-captures extensions (`locations`,
 * `lastCapture`) present throughout. Clients and findings keep their shard's order, shard after
 * shard; findings then still ascend by capture and first frame. `findingsOmitted` is summed; each
 * shard applied its own per-kind limit, so a merged kind may list more findings than one analysis
 * would.
 *
 * A client id in several shards is kept once per shard and reported in `duplicates`: either the
 * shards were not split by client, or the "client" is a relay or peer seen only through the bubbles
 * it sent a server for clients of different shards (a split by client sends each bubble with the
 * client it was for). Both records are partial; the merge cannot join them.
 */

/** A shard's report as parsed JSON, with the name to use in messages. */
export interface ShardReport {
  name: string;
  json: unknown;
}

export class MergeError extends Error {}

export interface MergedReport {
  report: Report;
  /** Client ids found in more than one shard, with the shards, in the order first met. */
  duplicates: { id: string; shards: string[] }[];
}

/** Throws MergeError naming the shard when one is not a teredoscope.report/1 JSON report. */
export function mergeReports(shards: readonly ShardReport[]): MergedReport {
  const captures: ReportCapture[] = [];
  const clients: ReportClient[] = [];
  const findings: ReportFinding[] = [];
  const omitted = new Map<FindingKind, number>();
  const shardsOf = new Map<string, string[]>();
  for (const shard of shards) {
    const report = validReport(shard);
    const offset = captures.length;
    const several = report.captures.length > 1;
    captures.push(...report.captures);
    for (const client of report.clients as unknown as ReportClient[]) {
      const seen = shardsOf.get(client.id);
      if (seen === undefined) shardsOf.set(client.id, [shard.name]);
      else seen.push(shard.name);
      clients.push(renumberClient(client, offset, several));
    }
    for (const finding of report.findings) findings.push(renumberFinding(finding, offset, several));
    for (const [kind, count] of Object.entries(report.findingsOmitted ?? {}) as [FindingKind, number][]) omitted.set(kind, (omitted.get(kind) ?? 0) + count);
  }
  const report: Report = {
    schema: REPORT_SCHEMA,
    captures,
    clients: ReportClientList.of(clients),
    findings,
    findingsOmitted: Object.fromEntries(omitted) as Partial<Record<FindingKind, number>>,
  };
  const duplicates = [...shardsOf.entries()].filter(([, names]) => names.length > 1).map(([id, names]) => ({ id, shards: names }));
  return { report, duplicates };
}

function validReport(shard: ShardReport): Report {
  const errors = checkJsonSchema(shard.json, REPORT_JSON_SCHEMA);
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new MergeError(`${shard.name} is not a teredoscope.report/1 JSON report: ${errors[0]}${more}`);
  }
  return shard.json as Report;
}

/** A one-capture report's frames all belong to its capture 0; a several-capture one says where. */
function location(capture: number, frames: number[], displayFilter: string): FrameLocation {
  return { capture, frames, displayFilter };
}

function renumberLocations(locations: readonly FrameLocation[], offset: number): FrameLocation[] {
  return locations.map((l) => location(l.capture + offset, l.frames, l.displayFilter));
}

function renumberClient(client: ReportClient, offset: number, several: boolean): ReportClient {
  return {
    ...client,
    holePunches: client.holePunches.map((punch) => renumberPunch(punch, offset, several, client.capture)),
    capture: client.capture + offset,
    lastCapture: (several ? (client.lastCapture ?? client.capture) : client.capture) + offset,
  };
}

function renumberPunch(punch: ReportHolePunch, offset: number, several: boolean, clientCapture: number): ReportHolePunch {
  if (several && punch.locations !== undefined) {
    return { ...punch, capture: (punch.capture ?? clientCapture) + offset, locations: renumberLocations(punch.locations, offset) };
  }
  // One capture: as buildReport writes a punch of several captures, from its frames.
  const capture = clientCapture + offset;
  return { ...punch, capture, locations: punch.frames.length === 0 ? [] : [location(capture, punch.frames, frameDisplayFilter(punch.frames))] };
}

function renumberFinding(finding: ReportFinding, offset: number, several: boolean): ReportFinding {
  const capture = finding.capture + offset;
  if (several && finding.locations !== undefined) return { ...finding, capture, locations: renumberLocations(finding.locations, offset) };
  return { ...finding, capture, locations: finding.frames.length === 0 ? [] : [location(capture, finding.frames, finding.displayFilter)] };
}
