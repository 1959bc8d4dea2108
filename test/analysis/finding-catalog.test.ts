import { describe, expect, it } from 'vitest';
import { ClientSummaryStore } from '../../src/analysis/client-summary-store.js';
import { FINDING_CATALOG, FINDING_KINDS, findingCatalogMarkdown, isFindingKind, SEVERITIES, severityRank } from '../../src/analysis/finding-catalog.js';
import { KindSetColumn } from '../../src/analysis/kind-set-column.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-json-schema.js';
import { analyzeCapture } from './support/analyze-capture.js';

describe('the finding catalog', () => {
  it('gives every kind a severity and a one-line summary, in a stable order', () => {
    expect(FINDING_KINDS[0]).toBe('symmetric-nat');
    expect(new Set(FINDING_KINDS).size).toBe(FINDING_KINDS.length);
    for (const kind of FINDING_KINDS) {
      expect(SEVERITIES).toContain(FINDING_CATALOG[kind].severity);
      expect(FINDING_CATALOG[kind].summary).toMatch(/^\S.*[^.\s]$/);
      expect(FINDING_CATALOG[kind].summary).not.toContain('\n');
      expect(isFindingKind(kind)).toBe(true);
    }
    expect(isFindingKind('toString')).toBe(false);
  });

  it('orders severities from the most severe', () => {
    expect(severityRank('error')).toBeLessThan(severityRank('warning'));
    expect(severityRank('warning')).toBeLessThan(severityRank('info'));
  });

  it('is where the JSON schema enum and the README table come from', () => {
    const finding = REPORT_JSON_SCHEMA.properties.findings.items.properties;
    expect(finding.kind.enum).toEqual([...FINDING_KINDS]);
    expect(finding.severity.enum).toEqual([...SEVERITIES]);
    expect(REPORT_JSON_SCHEMA.properties.clients.items.properties.findings.items.enum).toEqual([...FINDING_KINDS]);
    const table = findingCatalogMarkdown().split('\n');
    expect(table).toHaveLength(FINDING_KINDS.length + 2);
    expect(table[2]).toBe(`| \`symmetric-nat\` | error | ${FINDING_CATALOG['symmetric-nat'].summary} |`);
  });

  it('supplies the default severity where the analysis does not vary it', async () => {
    const { analysis } = await analyzeCapture('fixtures/real/zeek-teredo-bubble-with-payload.pcap');
    const bubbles = analysis.findings.filter((finding) => finding.kind === 'bubble-with-payload');
    expect(bubbles.length).toBeGreaterThan(0);
    for (const finding of bubbles) expect(finding.severity).toBe(FINDING_CATALOG['bubble-with-payload'].severity);
  });
});

describe("a client's finding kinds", () => {
  it('keeps every catalog kind a client had (no fixed-width mask)', () => {
    const store = new ClientSummaryStore();
    for (const kind of FINDING_KINDS) {
      const row = store.allocate();
      store.addFinding(row, kind);
      expect(store.get(row).findings).toEqual([kind]);
    }
    const all = store.allocate();
    for (const kind of [...FINDING_KINDS].reverse()) store.addFinding(all, kind);
    expect(store.get(all).findings).toEqual([...FINDING_KINDS]);
  });

  it('holds a 17th, 33rd and 70th kind: a catalog past 16 or 32 kinds loses none', () => {
    for (const kindCount of [17, 33, 70]) {
      const column = new KindSetColumn(4, kindCount);
      const kinds = [0, 7, 8, 15, 16, kindCount - 1].filter((k, i, a) => a.indexOf(k) === i && k < kindCount);
      for (const kind of kinds) column.add(2, kind);
      expect(column.indexes(2)).toEqual([...kinds].sort((a, b) => a - b));
      expect(column.indexes(1)).toEqual([]);
      expect(column.indexes(3)).toEqual([]);
      expect(column.has(2, kindCount - 1)).toBe(true);
    }
  });

  it('refuses a kind outside its width instead of dropping it', () => {
    const column = new KindSetColumn(2, 11);
    expect(() => column.add(0, 11)).toThrow(RangeError);
    expect(() => column.add(0, -1)).toThrow(RangeError);
  });
});
