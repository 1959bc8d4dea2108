import { failuresOf, type TraceVerdict } from '../../check/check-result.js';
import type { Report, ReportClient } from '../../report/report.js';
import { collectLadders } from '../ladder-pass.js';
import type { ClientLadderDrawer } from '../render/client-ladder.js';

/** Failing clients drawn per trace in `check --summary`: more would not render, nor be read. */
const MAX_LADDERS_PER_TRACE = 10;

/**
 * The Mermaid ladders of each trace's failing clients, drawn ahead of the summary (drawing reads
 * the trace's captures again, which the line renderers cannot wait for). Standard input cannot be
 * read twice, so its traces get none.
 */
export async function summaryLadders(traces: readonly TraceVerdict[]): Promise<ClientLadderDrawer> {
  const drawn = new Map<Report, Map<string, readonly string[]>>();
  const { ladderMermaidLines } = await import('../render/ladder-mermaid.js');
  for (const trace of traces) {
    if (trace.report === null || trace.files.includes('-')) continue;
    const failing = new Set(failuresOf(trace).flatMap((failure) => (failure.client !== null ? [failure.client] : [])));
    if (failing.size === 0) continue;
    const clients: ReportClient[] = [];
    for (const client of trace.report.clients) if (failing.has(client.id) && clients.length < MAX_LADDERS_PER_TRACE) clients.push(client);
    const { ladders } = await collectLadders(trace.files, clients, { maxClients: MAX_LADDERS_PER_TRACE });
    const severalCaptures = trace.files.length > 1;
    drawn.set(trace.report, new Map(ladders.map((ladder) => [ladder.client, [...ladderMermaidLines(ladder, { severalCaptures })]])));
  }
  return (report, client) => drawn.get(report)?.get(client.id) ?? null;
}
