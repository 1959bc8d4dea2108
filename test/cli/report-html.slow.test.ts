import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

/*
 * The --html page in a real browser: Debian's chromium (installed by .ci/run when missing) driven
 * by playwright-core, which downloads no browser of its own.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const scratch = mkdtempSync(join(tmpdir(), 'teredoscope-html-'));
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const CAPTURES = ['fixtures/real/wireshark-teredo.pcap', 'fixtures/real/miredo/miredo-rebinding-outside.pcap', 'fixtures/real/miredo/miredo-offline-inside.pcap'];

describe('analyze --html in chromium', () => {
  for (const capture of CAPTURES) {
    it(`${capture}: no console error, one ladder per client, nothing fetched`, async () => {
      const name = capture.replace(/.*\//, '');
      const file = join(scratch, `${name}.html`);
      const run = await runCli(['analyze', '--html', file, '--format', 'json', '-q', capture]);
      expect(run.code).toBe(0);
      const clients = (JSON.parse(run.stdout) as { clients: unknown[] }).clients.length;
      expect(clients).toBeGreaterThan(0);

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });

      expect(await page.locator('section.client').count()).toBe(clients);
      expect(await page.locator('section.client svg.ladder').count()).toBe(clients);
      expect(await page.locator('table.clients tbody tr').count()).toBe(clients);
      for (const section of await page.locator('section.client').all()) expect(await section.locator('svg.ladder').count()).toBe(1);
      // The SVG really drew: its arrows have a size in the laid-out page.
      const box = await page.locator('svg.ladder').first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(await page.locator('svg.ladder g.step line').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);

      const shot = join(scratch, `${name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(5000);
      await page.close();
    });
  }

  it('the sample page shows frames 6, 7, 30–33 in order', async () => {
    const file = join(scratch, 'order.html');
    expect((await runCli(['analyze', '--html', file, '-q', CAPTURES[0]])).code).toBe(0);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const frames = await page.locator('svg.ladder g.step').evaluateAll((steps) => steps.map((step) => step.getAttribute('data-frame')));
    expect(frames).toEqual(['6', '7', '29', '30', '31', '32', '33', '34–57']);
    await page.close();
  });
});
