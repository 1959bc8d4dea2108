import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../src/cli/render/html-escape.js';
import { reportHtmlLines } from '../../../src/cli/render/report-html.js';
import type { ClientLadder } from '../../../src/ladder/ladder-step.js';
import { ReportClientList } from '../../../src/report/report-client-list.js';
import type { Report } from '../../../src/report/report.js';
import { laddersOf } from '../../ladder/support/ladders-of.js';

function page(report: Report, ladders: ClientLadder[]): string {
  return [...reportHtmlLines({ report, ladders: new Map(ladders.map((l) => [l.client, l])) })].join('\n');
}

describe('the HTML report', () => {
  it('holds the capture summary, the client table, one SVG ladder per client and the findings with filters', async () => {
    const { report, ladders } = await laddersOf('fixtures/real/miredo/miredo-c2c-server-server.pcap');
    const html = page(report, ladders);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('miredo-c2c-server-server.pcap (pcap): 15 packets, 6 Teredo packets');
    expect(html.match(/<tr><td>/g)).toHaveLength(2);
    expect(html.match(/<svg class="ladder"/g)).toHaveLength(2);
    expect(html.match(/<section class="client"/g)).toHaveLength(2);
    // No script and nothing fetched from anywhere.
    expect(html).not.toMatch(/<script|https?:|src=|<link|@import|url\((?!#)/i);
  });

  it('lists findings with frames and display filter', async () => {
    const { report, ladders } = await laddersOf('fixtures/real/miredo/miredo-offline-inside.pcap');
    const html = page(report, ladders);
    expect(html).toContain('<span class="severity-error">error</span> <code>offline</code>');
    expect(html).toContain('frames 3–5, filter <code class="filter">(frame.number &gt;= 3 &amp;&amp; frame.number &lt;= 5)</code>');
    expect(html.match(/<g class="step failed"/g)).toHaveLength(3);
  });

  it('escapes every text from the capture', async () => {
    const { report, ladders } = await laddersOf('fixtures/real/wireshark-teredo.pcap');
    const evil = '<img src=x onerror=alert(1)>"\'&\u0007';
    const client = { ...[...report.clients][0], id: evil };
    const ladder = { ...ladders[0], client: evil, parties: ladders[0].parties.map((p) => ({ ...p, address: evil })) };
    const html = page({ ...report, captures: report.captures.map((c) => ({ ...c, file: evil })), clients: ReportClientList.of([client]) }, [ladder]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;\\x07');
    expect(html.match(/<svg class="ladder"/g)).toHaveLength(1);
    expect(escapeHtml('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&#39;');
  });
});
