import type { NatType } from '../../analysis/client-summary.js';
import type { Severity } from '../../analysis/finding.js';
import type { AnsiStyle } from './ansi.js';
import type { FrameLocation, Report, ReportCapture, ReportClient, ReportFinding } from '../../report/report.js';
import { escapeControl } from './control-escape.js';

/** Wording shared by the table and Markdown renderers. */

/** "6, 7, 30–33": runs of three or more frames are shown as ranges. */
export function frameList(frames: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < frames.length; ) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    if (j - i >= 2) parts.push(`${frames[i]}–${frames[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(frames[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** How a report of several captures names capture `index`: its file. */
export function captureName(report: Report, index: number): string {
  const file = report.captures[index]?.file;
  return file === undefined ? `capture ${index + 1}` : file === '-' ? 'standard input' : escapeControl(file);
}

/** A finding's frames per capture (reports built by hand may lack `locations`). */
export function findingLocations(finding: ReportFinding): FrameLocation[] {
  if (finding.locations !== undefined && finding.locations.length > 0) return finding.locations;
  return [{ capture: finding.capture, frames: finding.frames, displayFilter: finding.displayFilter }];
}

/** "ring_1.pcap frame 31, ring_2.pcap frames 1–3": frames grouped per file, as Wireshark opens them. */
export function locationsText(report: Report, locations: readonly FrameLocation[]): string {
  return locations
    .map((l) => `${captureName(report, l.capture)} ${l.frames.length === 0 ? '(no frame)' : `frame${l.frames.length === 1 ? '' : 's'} ${frameList(l.frames)}`}`)
    .join(', ');
}

/** The client's first capture, or first–last when it spans several ("[1]", "[1–2]"; numbered from 1 like the capture lines). */
export function clientCaptureTag(client: ReportClient): string {
  const last = client.lastCapture ?? client.capture;
  return last === client.capture ? `[${client.capture + 1}]` : `[${client.capture + 1}–${last + 1}]`;
}

export function captureLine(capture: ReportCapture): string {
  const parts = [
    `${capture.packets} packet${capture.packets === 1 ? '' : 's'}`,
    `${capture.teredoPackets} Teredo packet${capture.teredoPackets === 1 ? '' : 's'}`,
  ];
  if (capture.start !== null && capture.end !== null) parts.push(`${capture.start} → ${capture.end} (${formatSeconds(capture.durationSeconds ?? 0)})`);
  if (capture.truncated) parts.push('TRUNCATED');
  return `${escapeControl(capture.file)}${capture.format !== null ? ` (${capture.format})` : ''}: ${parts.join(', ')}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Number(seconds.toFixed(3))} s`;
  if (seconds < 7200) return `${Number((seconds / 60).toFixed(1))} min`;
  return `${Number((seconds / 3600).toFixed(1))} h`;
}

export function serverText(client: ReportClient): string {
  if (client.server.primary === null) return '—';
  return client.server.secondary !== null ? `${client.server.primary} / ${client.server.secondary}` : client.server.primary;
}

export function punchCounts(client: ReportClient): { ok: number; failed: number; pending: number; unobservable: number } {
  const counts = { ok: 0, failed: 0, pending: 0, unobservable: 0 };
  for (const punch of client.holePunches) {
    if (punch.outcome === 'success') counts.ok++;
    else if (punch.outcome === 'failed') counts.failed++;
    else if (punch.outcome === 'unobservable') counts.unobservable++;
    else counts.pending++;
  }
  return counts;
}

export function punchText(client: ReportClient): string {
  const { ok, failed, pending, unobservable } = punchCounts(client);
  return `${ok} ok / ${failed} failed${pending > 0 ? ` / ${pending} pending` : ''}${unobservable > 0 ? ` / ${unobservable} unobservable here` : ''}`;
}

export function relayTexts(client: ReportClient, max = 3): string[] {
  const texts = client.relays.slice(0, max).map((r) => `${r.address}:${r.port}`);
  if (client.relays.length > max) texts.push(`+${client.relays.length - max} more`);
  return texts;
}

export const NAT_STYLE: Record<NatType, AnsiStyle> = { cone: 'green', restricted: 'green', symmetric: 'red', offline: 'red', unknown: 'dim' };
export const SEVERITY_STYLE: Record<Severity, AnsiStyle> = { error: 'red', warning: 'yellow', info: 'cyan' };
