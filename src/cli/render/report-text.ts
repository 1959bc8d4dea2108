import type { NatType } from '../../analysis/client-summary.js';
import type { Severity } from '../../analysis/finding.js';
import type { AnsiStyle } from './ansi.js';
import type { ReportCapture, ReportClient } from '../../report/report.js';

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

export function captureLine(capture: ReportCapture): string {
  const parts = [
    `${capture.packets} packet${capture.packets === 1 ? '' : 's'}`,
    `${capture.teredoPackets} Teredo packet${capture.teredoPackets === 1 ? '' : 's'}`,
  ];
  if (capture.start !== null && capture.end !== null) parts.push(`${capture.start} → ${capture.end} (${formatSeconds(capture.durationSeconds ?? 0)})`);
  if (capture.truncated) parts.push('TRUNCATED');
  return `${capture.file}${capture.format !== null ? ` (${capture.format})` : ''}: ${parts.join(', ')}`;
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

export function punchCounts(client: ReportClient): { ok: number; failed: number; pending: number } {
  const counts = { ok: 0, failed: 0, pending: 0 };
  for (const punch of client.holePunches) {
    if (punch.outcome === 'success') counts.ok++;
    else if (punch.outcome === 'failed') counts.failed++;
    else counts.pending++;
  }
  return counts;
}

export function punchText(client: ReportClient): string {
  const { ok, failed, pending } = punchCounts(client);
  return `${ok} ok / ${failed} failed${pending > 0 ? ` / ${pending} pending` : ''}`;
}

export function relayTexts(client: ReportClient, max = 3): string[] {
  const texts = client.relays.slice(0, max).map((r) => `${r.address}:${r.port}`);
  if (client.relays.length > max) texts.push(`+${client.relays.length - max} more`);
  return texts;
}

export const NAT_STYLE: Record<NatType, AnsiStyle> = { cone: 'green', restricted: 'green', symmetric: 'red', offline: 'red', unknown: 'dim' };
export const SEVERITY_STYLE: Record<Severity, AnsiStyle> = { error: 'red', warning: 'yellow', info: 'cyan' };
