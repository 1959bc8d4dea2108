import type { Report, ReportClient } from '../../report/report.js';

/**
 * The hook through which `check --summary` draws a failing client's exchange: the lines of a
 * Mermaid `sequenceDiagram` (without the ``` fence), or null when there is nothing to draw.
 * check/summary-ladders.ts draws them (a second pass over the trace); NO_CLIENT_LADDER draws none.
 */
export type ClientLadderDrawer = (report: Report, client: ReportClient) => readonly string[] | null;

/** The placeholder: no diagram. */
export const NO_CLIENT_LADDER: ClientLadderDrawer = () => null;

