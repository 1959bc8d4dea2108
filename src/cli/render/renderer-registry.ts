import type { CheckRun } from '../../check/check-result.js';
import type { ClientLadder } from '../../ladder/ladder-step.js';
import type { Report } from '../../report/report.js';
import type { CheckRenderOptions } from '../check/check-render-options.js';

/**
 * Every output format, in one place, as link types are: `analyze --format` offers the report
 * renderers, `check` writes its verdicts through the check renderers, and a new format (Mermaid,
 * HTML) is one more entry. Each renderer is loaded only when used (the table one pulls in
 * cli-table3) and yields lines, so that a huge report never exists as one string.
 */
export interface ReportRenderOptions {
  color: boolean;
  /** Terminal width to fit, or null when not a terminal. */
  width?: number | null;
  /** Client rows shown before "… and N more". */
  maxRows?: number;
  /** The clients' ladders, for a renderer that `drawsLadders` (drawing reads the captures again). */
  ladders?: readonly ClientLadder[];
  severalCaptures?: boolean;
}

export interface ReportRenderer {
  input: 'report';
  summary: string;
  /** Needs `ladders` in its options: the step classifier's second pass over the captures. */
  drawsLadders?: boolean;
  load(): Promise<(report: Report, options: ReportRenderOptions) => Iterable<string>>;
}

export interface CheckRenderer {
  input: 'check';
  summary: string;
  load(): Promise<(run: CheckRun, options: CheckRenderOptions) => Iterable<string>>;
}

export type Renderer = ReportRenderer | CheckRenderer;

export const RENDERERS = {
  table: {
    input: 'report',
    summary: 'clients and findings for a person',
    load: async () => (await import('./report-table.js')).reportTableLines,
  },
  json: {
    input: 'report',
    summary: 'the report as JSON, schema teredoscope.report/1',
    load: async () => (await import('./report-json.js')).reportJsonLines,
  },
  markdown: {
    input: 'report',
    summary: 'the report as GitHub-flavoured Markdown',
    load: async () => (await import('./report-markdown.js')).reportMarkdownLines,
  },
  mermaid: {
    input: 'report',
    summary: 'one Mermaid sequenceDiagram per client (reads the captures again)',
    drawsLadders: true,
    load: async () => (await import('./report-mermaid.js')).reportMermaidLines,
  },
  'check-text': {
    input: 'check',
    summary: 'check: one line per trace (PASS/FAIL, counts per kind) and its failures',
    load: async () => (await import('../check/check-text.js')).checkTextLines,
  },
  junit: {
    input: 'check',
    summary: 'check --junit: JUnit XML for GitLab and Jenkins',
    load: async () => (await import('../check/check-junit.js')).checkJunitLines,
  },
  github: {
    input: 'check',
    summary: 'check --github: GitHub Actions workflow commands (annotations)',
    load: async () => (await import('../check/check-github.js')).checkGithubLines,
  },
  'step-summary': {
    input: 'check',
    summary: 'check --summary: Markdown for $GITHUB_STEP_SUMMARY, at most 1 MiB',
    load: async () => (await import('../check/check-summary.js')).checkSummaryLines,
  },
} as const satisfies Record<string, Renderer>;

export type RendererName = keyof typeof RENDERERS;

/** The renderers of a report: the names `--format` accepts. */
export type FormatName = { [K in RendererName]: (typeof RENDERERS)[K]['input'] extends 'report' ? K : never }[RendererName];

export type CheckOutputName = Exclude<RendererName, FormatName>;

export const FORMAT_NAMES = (Object.keys(RENDERERS) as RendererName[]).filter((name): name is FormatName => RENDERERS[name].input === 'report');

/** "table: clients and findings for a person; json: …", for --help. */
export function formatHelp(): string {
  return FORMAT_NAMES.map((name) => `${name}: ${RENDERERS[name].summary}`).join('; ');
}

/** Whether `--format name` draws ladders (it needs the second pass over the captures). */
export function drawsLadders(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name) && 'drawsLadders' in RENDERERS[name as FormatName];
}
