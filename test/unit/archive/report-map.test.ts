import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveInfo } from '../../../electron/contract/archive.js';
import type { Run } from '../../../electron/contract/checks.js';
import { sevenZip } from '../../support/archive.js';
import { simulatedSetup } from '../../support/checks.js';
import { tempDir } from '../../support/temp.js';
import { ROOT } from '../../support/web-host-process.js';

const PASSWORD = 'tac-case-Map-Heron-4417';
type Setup = Awaited<ReturnType<typeof simulatedSetup>>;

/** The light theme's value of a variable of renderer/src/app.css: the colour the Checks page draws with. */
function appColour(name: string): string {
  const css = fs.readFileSync(path.join(ROOT, 'renderer', 'src', 'app.css'), 'utf8');
  const light = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
  return new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(light)![1]!.toLowerCase();
}

/** One link of the report's drawing: its tone and markup. */
function link(html: string, id: string): { tone: string; body: string } {
  const m = new RegExp(`<g data-link="${id}" data-tone="([a-z-]+)">(.*?)</g>`).exec(html);
  if (!m) throw new Error(`no link ${id} in the report`);
  return { tone: m[1]!, body: m[2]! };
}

describe('report.html: the integration path of each run', () => {
  let setup: Setup;
  let run: Run;

  async function report(includeHostnames: boolean): Promise<string> {
    const answer = await setup.core.dispatcher.call('archive.create', { profileId: setup.profile.id, runIds: [run.id], includeHostnames, encryption: { mode: 'password', password: PASSWORD } } as never);
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
    const out = tempDir();
    const x = sevenZip(['x', `-p${PASSWORD}`, `-o${out}`, setup.core.archive.file((answer.value as ArchiveInfo).id).path]);
    expect(x.status, x.out).toBe(0);
    return fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  }

  beforeAll(async () => {
    // API port closed; the SSE questions answered "yes", the XDR ones left open.
    setup = await simulatedSetup({ mode: 'api-off' });
    run = await setup.core.checks.run({ profileId: setup.profile.id, answers: { 'device-listed': 'yes', 'sse-services': 'yes' } });
  }, 60_000);
  afterAll(async () => setup?.close());

  it('holds a static SVG with its text alternative, each link in the colour the Checks page gives it', async () => {
    const html = await report(true);
    // Kept for a look in a browser (test-results/ is the tests' output folder).
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'test-results', 'report-map.html'), html);
    const svg = /<svg [^>]*class="integration-map"[^>]*>.*?<\/svg>/s.exec(html)?.[0];
    expect(svg).toBeDefined();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="integration-map" viewBox="0 0 1000 \d+" width="1000" height="\d+" role="img" aria-labelledby="map-run-1-title map-run-1-desc"/);
    expect(svg).toContain('<title id="map-run-1-title">Integration path</title>');
    const desc = /<desc id="map-run-1-desc">(.*?)<\/desc>/.exec(svg!)![1]!;
    expect(desc).toContain('Failed – DNS, TCP, TLS, AsyncOS API, sign-in, clock. This computer to Appliance, 1 finding.');
    expect(desc).toContain('OK – DNS, TLS, HTTPS, not intercepted, region. Appliance to Threat Response server, no findings.');
    expect(desc).toContain('Answered by you: yes – token, registered, online. Threat Response server to SSE, no findings.');
    expect(desc).toContain('Not checked – module, health, tile. SSE to Cisco XDR, no findings.');

    const appliance = link(svg!, 'appliance');
    expect(appliance.tone).toBe('fail');
    expect(appliance.body).toContain(`stroke="${appColour('--danger')}"`);
    expect(appliance.body).toMatch(/<text [^>]*fill="#b3261e">Failed<\/text>/);
    const cloud = link(svg!, 'threat-response');
    expect([cloud.tone, cloud.body.includes(`stroke="${appColour('--ok')}"`)]).toEqual(['pass', true]);
    // Answered and not checked: said in words, drawn neutral (dotted, dashed), never green or red.
    for (const [id, tone, word] of [['sse', 'answered', 'Answered by you: yes'], ['xdr', 'not-checked', 'Not checked']] as const) {
      const l = link(svg!, id);
      expect(l.tone).toBe(tone);
      expect(l.body).toContain(`>${word}</text>`);
      expect(l.body).toContain(`stroke="${appColour('--muted')}"`);
      expect(l.body).not.toMatch(new RegExp(`${appColour('--ok')}|${appColour('--danger')}`));
      expect(l.body).toMatch(/stroke-dasharray="[\d. ]+"/);
    }
    expect(svg).toContain('>127.0.0.1</text>');

    // The same as text under the picture: each link, its state and its checks with their status.
    expect(html).toContain('<li data-link="appliance"><strong>This computer → Appliance</strong>: <span style="color:#b3261e;font-weight:600">Failed</span>');
    expect(html).toMatch(/<code>api-https-port<\/code> <span class="fail">fail<\/span>/);
    expect(html).toMatch(/<li data-link="sse">.*<code>device-listed<\/code> <span class="pass">pass<\/span>/);
    // Still a script-free page under its strict policy.
    expect(html).not.toMatch(/<script|\son\w+\s*=/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('leaves the appliance’s name out of the drawing when the archive leaves host names out', async () => {
    const html = await report(false);
    const svg = /<svg [^>]*class="integration-map"[^>]*>.*?<\/svg>/s.exec(html)![0];
    expect(svg).not.toContain('>127.0.0.1</text>');
    expect(link(svg, 'appliance').tone).toBe('fail');
  });
});
