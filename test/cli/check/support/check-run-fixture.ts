import type { CheckOutcome, CheckRun, TraceVerdict } from '../../../../src/check/check-result.js';
import { ReportClientList } from '../../../../src/report/report-client-list.js';
import type { Report, ReportClient } from '../../../../src/report/report.js';

export function outcome(fields: Partial<CheckOutcome> & Pick<CheckOutcome, 'name'>): CheckOutcome {
  return { source: 'expectation', passed: true, message: `${fields.name} holds`, client: null, kind: null, severity: 'error', frames: [], displayFilter: null, where: null, ...fields };
}

export function client(id: string): ReportClient {
  const [address, port] = id.split(':');
  return {
    id,
    endpoints: [{ address, port: Number(port) }],
    mapped: null,
    teredoAddress: null,
    server: { primary: null, secondary: null },
    natType: 'symmetric',
    qualified: false,
    relays: [],
    holePunches: [],
    findings: ['symmetric-nat'],
    capture: 0,
    vantage: 'inside',
    rsRaRoundTripMs: null,
    qualificationMs: null,
    refreshIntervalSeconds: null,
    packets: 4,
    firstFrame: 1,
    lastFrame: 7,
    state: 'probe',
    portPreserving: null,
    console: 'Strict',
    cause: null,
  };
}

export function report(clients: ReportClient[]): Report {
  return { schema: 'teredoscope.report/1', captures: [], clients: ReportClientList.of(clients), findings: [], findingsOmitted: {} };
}

export function trace(name: string, outcomes: CheckOutcome[], fields: Partial<TraceVerdict> = {}): TraceVerdict {
  return { name, files: [name], report: report([]), seconds: 0.25, readExit: 0, outcomes, findingCounts: {}, passed: outcomes.every((o) => o.passed), ...fields };
}

export function run(traces: TraceVerdict[]): CheckRun {
  return { traces, started: new Date(Date.UTC(2026, 11, 3, 10, 0, 0)) };
}
