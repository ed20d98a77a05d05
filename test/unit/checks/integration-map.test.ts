import fs from 'node:fs';
import path from 'node:path';
import type { CheckKind } from '../../../electron/contract/checks.js';
import { format, lookup, type Dictionary } from '../../../electron/contract/i18n.js';
import { buildMapModel, LIGHT_PALETTE, mapSvg, textWidth, TONE_VARIABLES, wrapList, wrapText, type MapModel } from '../../../electron/contract/integration-map-svg.js';
import { IntegrationMapFile, linkFindings, linkStates, linkTones, mapCoverageProblems, mapLinks, mapTexts, type LinkState, type LinkTone, type MapCheck } from '../../../electron/contract/integration-map.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { tempDir } from '../../support/temp.js';
import { ROOT } from '../../support/web-host-process.js';

const RESOURCES = defaultResourcesDir();
const knowledge = loadKnowledge(RESOURCES);
const MAP = knowledge.integrationMap;
const dict = (l: 'en' | 'de') => JSON.parse(fs.readFileSync(path.join(RESOURCES, 'i18n', `${l}.json`), 'utf8')) as Dictionary;
const texts = (l: 'en' | 'de') => {
  const d = dict(l);
  return mapTexts((key, params) => {
    const template = lookup(d, key);
    if (template === undefined) throw new Error(`missing ${l} ${key}`);
    // The real fill (plural included), as the renderer and the core use it.
    return format(template, params, l);
  });
};

/** A check of the runbook with a state, its kind from the runbook. */
function c(id: string, state: MapCheck['state'], outcome: string | null = state === 'pass' ? null : state): MapCheck {
  const kind: CheckKind = knowledge.checkById.get(id)!.kind;
  return { id, kind, state, outcome };
}

/** A copy of resources/ with integration-map.json edited. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits the JSON on purpose
function brokenMap(edit: (data: any) => void): string {
  const dir = tempDir();
  fs.cpSync(RESOURCES, dir, { recursive: true });
  const file = path.join(dir, 'integration-map.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(data);
  fs.writeFileSync(file, JSON.stringify(data));
  return dir;
}

const tone = (states: LinkState[], link: string) => states.find((s) => s.link === link)!;

describe('resources/integration-map.json: which checks make up each link', () => {
  it('puts every runbook check on exactly one link, or excludes it with a reason', () => {
    const ids = knowledge.runbook.checks.map((ch) => ch.id);
    expect(mapCoverageProblems(MAP, ids)).toEqual([]);
    const placed = [...mapLinks.flatMap((l) => MAP.links[l].checks), ...MAP.excluded.map((e) => e.check)].sort();
    expect(placed).toEqual([...ids].sort());
    // Deliberately off the path: the tool's own XDR sign-in, the pasted message and the escalation question.
    expect(MAP.excluded.map((e) => e.check).sort()).toEqual(['error-text', 'still-failing', 'xdr-auth']);
    // The parts the issue names: appliance (DNS, TCP, TLS, API, sign-in, clock), cloud (DNS, TLS, HTTPS), SSE device, XDR module/health/tile.
    expect(MAP.links.appliance.checks).toEqual(expect.arrayContaining(['appliance-dns', 'api-https-port', 'api-tls', 'api-version', 'api-auth', 'api-clock']));
    expect(MAP.links['threat-response'].checks).toEqual(expect.arrayContaining(['cloud-dns', 'cloud-tls', 'cloud-https']));
    expect(MAP.links.sse.checks).toEqual(expect.arrayContaining(['xdr-sse-device', 'device-listed']));
    expect(MAP.links.xdr.checks).toEqual(expect.arrayContaining(['xdr-module', 'xdr-module-health', 'xdr-observe']));
  });

  it('refuses at load a check on two links, one on none, an unknown check and an unknown link, naming the file', () => {
    const twice = brokenMap((d) => d.links.xdr.checks.push('api-tls'));
    expect(() => loadKnowledge(twice)).toThrow(/integration-map\.json: links: check api-tls is in links\.appliance and links\.xdr/);
    const missing = brokenMap((d) => (d.links.appliance.checks = d.links.appliance.checks.filter((id: string) => id !== 'api-clock')));
    expect(() => loadKnowledge(missing)).toThrow(/check api-clock is on no link and not excluded/);
    const unknown = brokenMap((d) => d.excluded.push({ check: 'no-such-check', why: 'a test of the loader' }));
    expect(() => loadKnowledge(unknown)).toThrow(/excluded: unknown check no-such-check/);
    const extraLink = brokenMap((d) => (d.links.tac = { checks: ['still-failing'] }));
    expect(() => loadKnowledge(extraLink)).toThrow(/integration-map\.json: links: Unrecognized key/);
    expect(IntegrationMapFile.safeParse({ ...MAP, excluded: [{ check: 'xdr-auth', why: '' }] }).success).toBe(false);
  });
});

describe('link states: the worst status of a link’s checks', () => {
  const healthy = knowledge.runbook.checks.map((ch) => c(ch.id, ch.kind === 'manual' ? 'needs-input' : 'pass', ch.kind === 'manual' ? 'unanswered' : null));

  it('orders fail/error > warn > skipped (partly checked) > pass', () => {
    const checks = (...over: MapCheck[]) => healthy.map((h) => over.find((o) => o.id === h.id) ?? h);
    const with_ = (...over: MapCheck[]) => linkStates(MAP, checks(...over));
    expect(tone(with_(), 'appliance').tone).toBe('pass');
    expect(tone(with_(c('api-http-port', 'skip', 'disabled')), 'appliance').tone).toBe('partial');
    expect(tone(with_(c('api-http-port', 'skip', 'disabled'), c('api-clock', 'warn', 'skew')), 'appliance').tone).toBe('warn');
    expect(tone(with_(c('api-clock', 'warn', 'skew'), c('api-auth', 'error', 'unexpected')), 'appliance').tone).toBe('fail');
    expect(tone(with_(c('api-clock', 'warn', 'skew'), c('api-https-port', 'fail', 'refused')), 'appliance')).toMatchObject({ tone: 'fail', counts: { fail: 1, warn: 1, pass: 7 } });
    // Each link only from its own checks.
    expect(tone(with_(c('cloud-tls', 'fail', 'intercepted')), 'appliance').tone).toBe('pass');
    expect(tone(with_(c('cloud-tls', 'fail', 'intercepted')), 'threat-response').tone).toBe('fail');
    // The excluded XDR sign-in colours nothing itself; the checks it stopped say "skipped".
    const noXdr = checks(c('xdr-auth', 'fail', 'rejected'), c('xdr-sse-device', 'skip', 'dependency'), c('xdr-module', 'skip', 'dependency'), c('xdr-module-health', 'skip', 'dependency'), c('xdr-observe', 'skip', 'dependency'));
    expect(linkStates(MAP, noXdr.filter((x) => !['token-format', 'token-lifetime', 'token-region'].includes(x.id))).map((s) => s.tone)).toEqual(['pass', 'pass', 'skipped', 'skipped']);
  });

  it('a link only your answers speak for is "answered", yes or no; with the app’s checks a "no" counts as a failure', () => {
    const manualOnly = [c('device-listed', 'pass', null), c('sse-services', 'pass', null), c('rest-api-source', 'fail', 'answered-fail'), c('dashboard-range', 'needs-input', 'unanswered')];
    const states = linkStates(MAP, manualOnly);
    expect(tone(states, 'sse')).toMatchObject({ tone: 'answered', answer: 'yes', counts: { answered: 2 } });
    expect(tone(states, 'xdr')).toMatchObject({ tone: 'answered', answer: 'no', counts: { answered: 1, open: 1 } });
    expect(tone(states, 'appliance').tone).toBe('not-checked');
    // The region question beside the cloud probes: a wrong server is as bad as a failed probe.
    const withProbes = linkStates(MAP, [c('cloud-dns', 'pass'), c('cloud-tls', 'pass'), c('cloud-https', 'pass'), c('region-server', 'fail', 'mismatch')]);
    expect(tone(withProbes, 'threat-response').tone).toBe('fail');
    // An "unsure" or an open question says nothing; an empty token field neither.
    const open = linkStates(MAP, [c('device-listed', 'needs-input', 'unsure'), c('token-format', 'needs-input', 'no-token'), c('token-region', 'needs-input', 'no-token')]);
    expect(tone(open, 'sse')).toMatchObject({ tone: 'not-checked', counts: { open: 3 } });
  });

  it('says "not checked" before a run and for checks not selected or cancelled, and "running" while a run is busy with a link', () => {
    const pending = knowledge.runbook.checks.map((ch) => c(ch.id, 'pending', null));
    expect(linkStates(MAP, pending).map((s) => s.tone)).toEqual(['not-checked', 'not-checked', 'not-checked', 'not-checked']);
    expect(linkStates(MAP, []).map((s) => s.tone)).toEqual(['not-checked', 'not-checked', 'not-checked', 'not-checked']);
    const notRun = linkStates(MAP, [c('appliance-dns', 'skip', 'not-selected'), c('api-https-port', 'skip', 'cancelled'), c('api-tls', 'skip', 'not-applicable')]);
    expect(tone(notRun, 'appliance').tone).toBe('not-checked');
    const busy = pending.map((p) => (p.id === 'appliance-dns' ? c('appliance-dns', 'pass') : p.id === 'cloud-dns' ? c('cloud-dns', 'running', null) : p));
    expect(linkStates(MAP, busy, true).map((s) => s.tone)).toEqual(['running', 'running', 'running', 'running']);
    // Once the run is over a check left pending (not in that run) does not keep the link busy.
    expect(tone(linkStates(MAP, busy.filter((b) => b.id !== 'cloud-dns'), false), 'appliance').tone).toBe('pass');
  });

  it('finds a link’s findings by the checks that raised them', () => {
    const states = linkStates(MAP, [c('api-https-port', 'fail', 'refused'), c('cloud-tls', 'fail', 'intercepted')]);
    const f = (code: string, checks: string[]) => ({ code, severity: 'error' as const, seedStep: null, title: { en: code, de: code }, cause: { en: '', de: '' }, remediation: { en: [], de: [] }, checks });
    const all = [f('API_PORT_CLOSED', ['api-https-port']), f('CLOUD_TLS_INTERCEPTED', ['cloud-tls', 'xdr-auth']), f('MODULE_UNEXPECTED_ERROR', ['error-text'])];
    expect(linkFindings(tone(states, 'appliance'), all).map((x) => x.code)).toEqual(['API_PORT_CLOSED']);
    expect(linkFindings(tone(states, 'threat-response'), all).map((x) => x.code)).toEqual(['CLOUD_TLS_INTERCEPTED']);
  });

  it('words every state in English and German: answered by you yes/no, not checked', () => {
    const s = (t: LinkTone, answer: 'yes' | 'no' | null = null): LinkState => ({ link: 'sse', tone: t, answer, checks: [], counts: { fail: 0, warn: 0, skipped: 0, pass: 0, answered: 0, open: 0 } });
    const words = (l: 'en' | 'de') => [...linkTones.map((t) => texts(l).state(s(t))), texts(l).state(s('answered', 'no'))];
    expect(words('en')).toEqual(['Failed', 'Warning', 'Partly checked', 'OK', 'Answered by you: yes', 'Skipped', 'Not checked', 'Checking…', 'Answered by you: no']);
    expect(words('de')).toEqual(['Fehlgeschlagen', 'Warnung', 'Teilweise geprüft', 'In Ordnung', 'Von Ihnen beantwortet: ja', 'Übersprungen', 'Nicht geprüft', 'Wird geprüft…', 'Von Ihnen beantwortet: nein']);
    expect(texts('en').describe(s('answered', 'no'), 2)).toBe('Answered by you: no – token, registered, online. Threat Response server to SSE, 2 findings.');
    expect(texts('de').describe(s('not-checked'), 0)).toBe('Nicht geprüft – Token, registriert, online. Verbindung „Threat-Response-Server“ – „SSE“, keine Befunde.');
    expect(texts('en').name('appliance')).toBe('This computer → Appliance');
  });
});

describe('the drawing (one pure function for the Checks page and the report)', () => {
  const states = linkStates(MAP, [c('api-https-port', 'fail', 'refused'), c('cloud-dns', 'pass'), c('device-listed', 'pass', null)]);
  const draw = (width: number, l: 'en' | 'de' = 'en', details = { appliance: 'esa1.example.com', 'threat-response': 'api.eu.sse.itd.cisco.com' }): MapModel => buildMapModel({ width, states, texts: texts(l), details });

  /** Every text's estimated box: inside the drawing, no two overlapping. */
  function layoutProblems(m: MapModel): string[] {
    const boxes = [
      ...m.nodes.flatMap((n) => [...n.name.map((t) => ({ ...t, size: 13, bold: true })), ...n.detail.map((t) => ({ ...t, size: 12, bold: false }))]),
      ...m.links.flatMap((k) => [...k.state.map((t) => ({ ...t, size: 13, bold: true })), ...k.aspects.map((t) => ({ ...t, size: 12, bold: false }))]),
    ].map((t) => {
      const w = textWidth(t.text, t.size, t.bold);
      return { text: t.text, left: t.x - w / 2, right: t.x + w / 2, top: t.y - t.size, bottom: t.y + 3 };
    });
    const out: string[] = [];
    for (const b of boxes) if (b.left < 0 || b.right > m.width || b.top < 0 || b.bottom > m.height) out.push(`outside: ${b.text}`);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        if (Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top)) out.push(`overlap: ${a.text} / ${b.text}`);
      }
    return out;
  }

  it('is horizontal: five parts in a row, left to right, each link between its two parts', () => {
    const m = draw(780);
    expect(m.nodes.map((n) => n.id)).toEqual(['computer', 'appliance', 'threat-response', 'sse', 'xdr']);
    expect(new Set(m.nodes.map((n) => n.cy)).size).toBe(1);
    expect(m.nodes.map((n) => n.cx)).toEqual([...m.nodes.map((n) => n.cx)].sort((a, b) => a - b));
    m.links.forEach((l, i) => {
      expect(l.line.x1).toBeGreaterThan(m.nodes[i]!.cx + m.nodes[i]!.r);
      expect(l.line.x2).toBeLessThan(m.nodes[i + 1]!.cx - m.nodes[i + 1]!.r);
    });
    expect(m.height).toBeLessThan(200);
  });

  it('keeps every text inside and apart at the widths of 1024×700 and 1280×800, in both languages', () => {
    for (const width of [640, 700, 774, 1000]) for (const l of ['en', 'de'] as const) expect(layoutProblems(draw(width, l)), `${width} ${l}`).toEqual([]);
    // Narrow: the list of what a link covers wraps between its items; wide: fewer lines.
    const narrow = draw(700).links[0]!.aspects.map((a) => a.text);
    expect(narrow.length).toBeGreaterThan(draw(1000).links[0]!.aspects.length);
    expect(narrow.every((line) => !line.startsWith('·') && !line.endsWith('·'))).toBe(true);
    // The state is never cut short (it is the point of the picture); long host names are.
    for (const width of [640, 774]) for (const l of ['en', 'de'] as const) for (const link of draw(width, l).links) expect(link.state.join(' ')).not.toContain('…');
    expect(draw(640, 'en', { appliance: 'a-very-long-appliance-name.mail.department.example.com', 'threat-response': 'x' }).nodes[1]!.detail[0]!.text).toMatch(/…$/);
  });

  it('gives every tone its own line style and badge, so it reads without colour', () => {
    const all = linkTones.map((t): LinkState => ({ link: 'xdr', tone: t, answer: 'yes', checks: [], counts: { fail: 0, warn: 0, skipped: 0, pass: 0, answered: 0, open: 0 } }));
    const looks = Object.fromEntries(
      all.map((s) => {
        const l = buildMapModel({ width: 774, states: [s], texts: texts('en') }).links[0]!;
        return [s.tone, `${l.line.dash}|${l.badge.filled}|${l.badge.icon}|${l.badge.dash}`];
      }),
    );
    // The app's own results (fail, warn, pass): a solid line and a filled badge; everything else dashed or dotted and hollow.
    for (const t of linkTones) expect(looks[t]!.startsWith('null|true|'), t).toBe(['fail', 'warn', 'pass'].includes(t));
    expect(new Set(Object.values(looks)).size).toBe(linkTones.length);
  });

  it('wraps at words, after hyphens and between list items, and stops at the last allowed line', () => {
    expect(wrapText('Von Ihnen beantwortet: nein', 110, 13, true, 3)).toEqual(['Von Ihnen', 'beantwortet:', 'nein']);
    expect(wrapText('Threat-Response-Server', 130, 13, true, 2)).toEqual(['Threat-Response-', 'Server']);
    expect(wrapText('Threat-Response-Server', 70, 13, true, 2)).toEqual(['Threat-', 'Respons…']);
    expect(wrapList('DNS · TCP · TLS · AsyncOS API · sign-in · clock', 140, 12, false, 3)).toEqual(['DNS · TCP · TLS', 'AsyncOS API · sign-in', 'clock']);
    expect(wrapList('alpha · beta · gamma · delta', 50, 12, false, 2)).toEqual(['alpha', expect.stringMatching(/^beta.*…$/)]);
  });

  it('serialises to a script-free SVG with its text alternative and the app’s light colours; hostile text stays text', () => {
    const m = draw(1000, 'en', { appliance: '<script>alert(1)</script>', 'threat-response': '"onload="x' });
    const svg = mapSvg(m, { palette: LIGHT_PALETTE, idPrefix: 'map-t', description: m.links.map((l) => l.label).join(' ') });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*role="img" aria-labelledby="map-t-title map-t-desc"/);
    expect(svg).toContain('<title id="map-t-title">Integration path</title>');
    expect(svg).toContain('<desc id="map-t-desc">Failed – DNS, TCP, TLS, AsyncOS API, sign-in, clock. This computer to Appliance, no findings.');
    expect(svg).not.toMatch(/<script|\son\w+=/i);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const link = (id: string) => /<g data-link="[^"]+" data-tone="([^"]+)">(.*?)<\/g>/g.exec(svg.slice(svg.indexOf(`<g data-link="${id}"`)))!;
    expect(link('appliance')[1]).toBe('fail');
    expect(link('appliance')[2]).toContain(`<line x1="${m.links[0]!.line.x1}" y1="${m.links[0]!.line.y}" x2="${m.links[0]!.line.x2}" y2="${m.links[0]!.line.y}" stroke="#b3261e"`);
    expect(link('threat-response')[2]).toContain('stroke="#18763a"');
    expect(link('sse')[1]).toBe('answered');
    expect(link('sse')[2]).toContain('stroke="#4f5d73"');
    expect(link('sse')[2]).toContain('>Answered by you: yes</text>');
  });

  it('takes its report colours from the app’s light theme, tone by tone', () => {
    const css = fs.readFileSync(path.join(ROOT, 'renderer', 'src', 'app.css'), 'utf8');
    const light = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
    const variable = (name: string) => new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(light)![1]!.toLowerCase();
    for (const t of linkTones) expect(LIGHT_PALETTE.tone[t], t).toBe(variable(TONE_VARIABLES[t]));
    expect([LIGHT_PALETTE.text, LIGHT_PALETTE.muted, LIGHT_PALETTE.surface, LIGHT_PALETTE.surface2, LIGHT_PALETTE.border]).toEqual(['--text', '--muted', '--surface', '--surface-2', '--border'].map(variable));
    // The page's stylesheet gives each tone the same variable.
    const page = fs.readFileSync(path.join(ROOT, 'renderer', 'src', 'integration-map.css'), 'utf8');
    for (const t of ['fail', 'warn', 'pass', 'running'] as const) expect(page).toMatch(new RegExp(`\\.map-link\\.tone-${t} \\{\\s*--tone: var\\(${TONE_VARIABLES[t]}\\);`));
    expect(page).toMatch(/\.map-link \{\s*--tone: var\(--muted\);/);
  });
});
