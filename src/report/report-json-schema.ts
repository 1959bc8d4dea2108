import { FINDING_CATALOG, FINDING_KINDS, SEVERITIES } from '../analysis/finding.js';

/**
 * JSON Schema (draft 2020-12) of `teredoscope.report/1`. Objects allow additional properties on
 * purpose: later versions extend the report, and consumers must ignore what they do not know.
 */
const socket = {
  type: 'object',
  required: ['address', 'port'],
  properties: { address: { type: 'string' }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
} as const;

const frames = { type: 'array', items: { type: 'integer', minimum: 1 } } as const;
/** The enum and its description come from the finding catalog. */
const findingKind = {
  type: 'string',
  enum: [...FINDING_KINDS],
  description: FINDING_KINDS.map((kind) => `${kind} (default ${FINDING_CATALOG[kind].severity}): ${FINDING_CATALOG[kind].summary}`).join('\n'),
} as const;
const captureIndex = { type: 'integer', minimum: 0 } as const;
/** Only in reports of several captures: a finding's or hole punch's frames, per capture. */
const locations = {
  type: 'array',
  items: {
    type: 'object',
    required: ['capture', 'frames', 'displayFilter'],
    properties: { capture: captureIndex, frames, displayFilter: { type: 'string' } },
  },
} as const;

export const REPORT_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://teredoscope.invalid/schema/teredoscope.report-1.json',
  title: 'teredoscope analyze report',
  type: 'object',
  required: ['schema', 'captures', 'clients', 'findings'],
  properties: {
    schema: { const: 'teredoscope.report/1' },
    captures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'format', 'packets', 'teredoPackets', 'truncated'],
        properties: {
          file: { type: 'string' },
          format: { type: ['string', 'null'], enum: ['pcap', 'pcapng', null] },
          packets: { type: 'integer', minimum: 0 },
          teredoPackets: { type: 'integer', minimum: 0 },
          truncated: { type: 'boolean' },
          start: { type: ['string', 'null'] },
          end: { type: ['string', 'null'] },
          durationSeconds: { type: ['number', 'null'] },
          /** Only when reading the file failed: why, in one line. */
          error: { type: 'string' },
        },
      },
    },
    clients: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'endpoints', 'mapped', 'teredoAddress', 'server', 'natType', 'qualified', 'relays', 'holePunches', 'findings'],
        properties: {
          id: { type: 'string' },
          endpoints: { type: 'array', items: socket },
          mapped: { ...socket, type: ['object', 'null'] },
          teredoAddress: { type: ['string', 'null'] },
          server: {
            type: 'object',
            required: ['primary', 'secondary'],
            properties: { primary: { type: ['string', 'null'] }, secondary: { type: ['string', 'null'] } },
          },
          natType: { type: 'string', enum: ['cone', 'restricted', 'symmetric', 'offline', 'unknown'] },
          qualified: { type: 'boolean' },
          relays: {
            type: 'array',
            items: { ...socket, required: ['address', 'port', 'ipv6'], properties: { ...socket.properties, ipv6: { type: ['string', 'null'] } } },
          },
          holePunches: {
            type: 'array',
            items: {
              type: 'object',
              required: ['peer', 'relay', 'outcome', 'frames'],
              properties: {
                peer: { type: ['string', 'null'] },
                relay: { ...socket, type: ['object', 'null'] },
                outcome: { type: 'string', enum: ['success', 'failed', 'pending', 'unobservable'] },
                frames,
                path: { type: 'string', enum: ['relay', 'host-specific', 'direct'] },
                missingStep: { type: ['string', 'null'], enum: ['relay-bubble', 'client-bubble', 'relay-delivery', 'peer-reply', null] },
                latencyMs: { type: ['number', 'null'] },
                capture: captureIndex,
                locations,
              },
            },
          },
          findings: { type: 'array', items: findingKind },
          capture: captureIndex,
          vantage: { type: 'string', enum: ['inside', 'outside'] },
          rsRaRoundTripMs: { type: ['number', 'null'] },
          qualificationMs: { type: ['number', 'null'] },
          refreshIntervalSeconds: { type: ['number', 'null'] },
          packets: { type: 'integer', minimum: 0 },
          firstFrame: { type: 'integer', minimum: 0 },
          lastFrame: { type: 'integer', minimum: 0 },
          lastCapture: captureIndex,
          state: { type: 'string', enum: ['qualified', 'probe', 'offline'] },
          portPreserving: { type: ['boolean', 'null'] },
          console: { type: ['string', 'null'], enum: ['Open', 'Moderate', 'Strict', 'Teredo unable to qualify', null] },
          cause: { type: ['string', 'null'] },
        },
      },
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'severity', 'client', 'frames', 'message', 'displayFilter'],
        properties: {
          kind: findingKind,
          severity: { type: 'string', enum: [...SEVERITIES] },
          client: { type: ['string', 'null'] },
          frames,
          message: { type: 'string' },
          displayFilter: { type: 'string' },
          capture: captureIndex,
          locations,
        },
      },
    },
    findingsOmitted: { type: 'object' },
    /** Only when the captures were analysed as separate timelines: capture indexes per timeline. */
    timelines: { type: 'array', items: { type: 'array', items: captureIndex } },
  },
} as const;
