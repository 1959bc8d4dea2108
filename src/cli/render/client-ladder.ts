import type { Report, ReportClient } from '../../report/report.js';

/**
 * The hook through which `check --summary` draws a failing client's exchange: the lines of a
 * Mermaid `sequenceDiagram` (without the ``` fence), or null when there is nothing to draw.
 * The ladder renderer (step classifier and sequenceDiagram text) plugs in here; until then
 * NO_CLIENT_LADDER draws nothing and the summary has no diagram.
 */
export type ClientLadder = (report: Report, client: ReportClient) => readonly string[] | null;

/** The placeholder: no diagram. */
export const NO_CLIENT_LADDER: ClientLadder = () => null;

/** The ladder `check --summary` uses. Replace with the Mermaid ladder renderer once it exists. */
export const CLIENT_LADDER: ClientLadder = NO_CLIENT_LADDER;
