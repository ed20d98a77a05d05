import { z } from 'zod';
import type { CheckKind, CheckStatus, Finding } from './checks.js';

/**
 * The integration as a path, left to right: this computer → the appliance → the region's Threat
 * Response server → SSE → XDR. Which checks make up each link is data (resources/integration-map.json);
 * the shape of the path is this file. Shared by the Checks page and report.html.
 */
export const mapNodes = ['computer', 'appliance', 'threat-response', 'sse', 'xdr'] as const;
export type MapNode = (typeof mapNodes)[number];

/** A link is named after the part it reaches; it starts at the part before it. */
export const mapLinks = ['appliance', 'threat-response', 'sse', 'xdr'] as const;
export type MapLink = (typeof mapLinks)[number];

export function linkFrom(link: MapLink): MapNode {
  return mapNodes[mapNodes.indexOf(link) - 1]!;
}

const CheckId = z.string().regex(/^[a-z][a-z0-9-]+$/);
const LinkDef = z.object({ checks: z.array(CheckId).min(1) }).strict();

export const IntegrationMapFile = z
  .object({
    schemaVersion: z.literal(1),
    note: z.string().optional(),
    links: z.object({ appliance: LinkDef, 'threat-response': LinkDef, sse: LinkDef, xdr: LinkDef }).strict(),
    /** Checks deliberately on no link, each with the reason. */
    excluded: z.array(z.object({ check: CheckId, why: z.string().min(10) }).strict()),
  })
  .strict();
export type IntegrationMapFile = z.infer<typeof IntegrationMapFile>;

/** What is wrong with the map against the runbook: a check on no link (and not excluded), on two, or unknown. */
export function mapCoverageProblems(map: IntegrationMapFile, checkIds: readonly string[]): string[] {
  const places = new Map<string, string[]>();
  const place = (id: string, where: string) => places.set(id, [...(places.get(id) ?? []), where]);
  for (const link of mapLinks) map.links[link].checks.forEach((id) => place(id, `links.${link}`));
  map.excluded.forEach((e) => place(e.check, 'excluded'));
  const known = new Set(checkIds);
  const problems: string[] = [];
  for (const id of checkIds) {
    const at = places.get(id) ?? [];
    if (at.length === 0) problems.push(`check ${id} is on no link and not excluded`);
    if (at.length > 1) problems.push(`check ${id} is in ${at.join(' and ')}`);
  }
  for (const [id, at] of places) if (!known.has(id)) problems.push(`${at[0]}: unknown check ${id}`);
  return problems;
}

/** The link of each check on the map (excluded ones are absent). */
export function linkOfCheck(map: IntegrationMapFile): Map<string, MapLink> {
  return new Map(mapLinks.flatMap((link) => map.links[link].checks.map((id) => [id, link] as const)));
}

/** A check's state as the map sees it: not run yet, running, or finished with a status and outcome. */
export interface MapCheck {
  id: string;
  kind: CheckKind;
  state: 'pending' | 'running' | CheckStatus;
  outcome: string | null;
}

/**
 * How a link is drawn. Checked by the app: worst first `fail` (fail or error) > `warn` > `partial`
 * (some checks skipped, the rest passed) > `pass`. Otherwise: `answered` (only your answers to the
 * manual questions speak for it), `skipped` (every check that ran was skipped), `not-checked`, or
 * `running` while a run is still busy with it.
 */
export const linkTones = ['fail', 'warn', 'partial', 'pass', 'answered', 'skipped', 'not-checked', 'running'] as const;
export type LinkTone = (typeof linkTones)[number];

export interface LinkState {
  link: MapLink;
  tone: LinkTone;
  /** `answered`: `yes` when every answer says the link works, `no` when one says it does not. */
  answer: 'yes' | 'no' | null;
  /** The link's checks in this run or plan, in the order given. */
  checks: string[];
  counts: { fail: number; warn: number; skipped: number; pass: number; answered: number; open: number };
}

/** Outcomes that mean the check did not look at anything: not run, or a question left open. */
const NOT_RUN = new Set(['not-selected', 'not-applicable', 'cancelled', 'unanswered', 'unsure']);
const WORST: readonly LinkTone[] = ['fail', 'warn', 'partial', 'pass'];

type Level = 'fail' | 'warn' | 'skipped' | 'pass' | 'yes' | 'no' | 'open' | 'running';

function level(c: MapCheck): Level {
  if (c.state === 'running') return 'running';
  if (c.state === 'pending' || (c.outcome !== null && NOT_RUN.has(c.outcome))) return 'open';
  // An optional input left empty (no token given) checked nothing.
  if (c.kind === 'input' && (c.state === 'needs-input' || c.state === 'skip')) return 'open';
  if (c.kind === 'manual') return c.state === 'pass' ? 'yes' : c.state === 'fail' || c.state === 'error' ? 'no' : 'open';
  if (c.state === 'fail' || c.state === 'error') return 'fail';
  if (c.state === 'warn') return 'warn';
  if (c.state === 'pass') return 'pass';
  return 'skipped';
}

/**
 * Each link's state from its checks. `busy`: a run is going, so a link with checks still pending
 * is being checked rather than not checked.
 */
export function linkStates(map: IntegrationMapFile, checks: readonly MapCheck[], busy = false): LinkState[] {
  const of = linkOfCheck(map);
  return mapLinks.map((link) => {
    const mine = checks.filter((c) => of.get(c.id) === link);
    const levels = mine.map(level);
    const n = (l: Level) => levels.filter((x) => x === l).length;
    const counts = { fail: n('fail'), warn: n('warn'), skipped: n('skipped'), pass: n('pass'), answered: n('yes') + n('no'), open: n('open') + n('running') };
    const base = { link, checks: mine.map((c) => c.id), counts, answer: null };
    const pendingInRun = busy && mine.some((c) => c.state === 'pending');
    if (levels.includes('running') || pendingInRun) return { ...base, tone: 'running' };
    if (counts.fail + counts.warn + counts.pass > 0) {
      // Your answers count beside the app's own checks; a "no" is as bad as a failed check.
      const seen: LinkTone[] = [];
      if (counts.fail + n('no') > 0) seen.push('fail');
      if (counts.warn > 0) seen.push('warn');
      if (counts.skipped > 0) seen.push('partial');
      seen.push('pass');
      return { ...base, tone: WORST.find((t) => seen.includes(t))! };
    }
    if (counts.answered > 0) return { ...base, tone: 'answered', answer: n('no') > 0 ? 'no' : 'yes' };
    if (counts.skipped > 0) return { ...base, tone: 'skipped' };
    return { ...base, tone: 'not-checked' };
  });
}

/** The findings a link's checks raised. */
export function linkFindings(state: Pick<LinkState, 'checks'>, findings: readonly Finding[]): Finding[] {
  const mine = new Set(state.checks);
  return findings.filter((f) => f.checks.some((id) => mine.has(id)));
}

/** A catalogue lookup: the renderer's `t`, or the core's catalogue in the report's language. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

const NODE_KEYS: Record<MapNode, string> = {
  computer: 'map.node.computer',
  appliance: 'map.node.appliance',
  'threat-response': 'map.node.threatResponse',
  sse: 'map.node.sse',
  xdr: 'map.node.xdr',
};
const ASPECT_KEYS: Record<MapLink, string> = {
  appliance: 'map.aspects.appliance',
  'threat-response': 'map.aspects.threatResponse',
  sse: 'map.aspects.sse',
  xdr: 'map.aspects.xdr',
};

export interface MapTexts {
  title: string;
  nodes: Record<MapNode, string>;
  aspects: Record<MapLink, string>;
  /** The word on the link: "Failed", "Answered by you: yes", "Not checked", … */
  state: (s: LinkState) => string;
  /** "This computer → Appliance" */
  name: (link: MapLink) => string;
  /**
   * The link's text alternative: its state and what it covers (the words it shows, first, so the
   * name contains the visible label), then both ends and its findings.
   */
  describe: (s: LinkState, findings: number) => string;
  /** The word before a link's list of checks (report.html). */
  checks: string;
}

/** Every text of the map from the catalogue (`map.…`), so the page and the report word it alike. */
export function mapTexts(tr: Translate): MapTexts {
  const nodes = Object.fromEntries(mapNodes.map((n) => [n, tr(NODE_KEYS[n])])) as Record<MapNode, string>;
  const aspects = Object.fromEntries(mapLinks.map((l) => [l, tr(ASPECT_KEYS[l])])) as Record<MapLink, string>;
  const state = (s: LinkState): string => {
    switch (s.tone) {
      case 'fail':
        return tr('map.state.fail');
      case 'warn':
        return tr('map.state.warn');
      case 'partial':
        return tr('map.state.partial');
      case 'pass':
        return tr('map.state.pass');
      case 'answered':
        return s.answer === 'no' ? tr('map.state.answeredNo') : tr('map.state.answeredYes');
      case 'skipped':
        return tr('map.state.skipped');
      case 'running':
        return tr('map.state.running');
      default:
        return tr('map.state.notChecked');
    }
  };
  return {
    title: tr('map.title'),
    nodes,
    aspects,
    state,
    name: (link) => tr('map.linkName', { from: nodes[linkFrom(link)], to: nodes[link] }),
    // Read aloud, "a · b" is "a dot b": the spoken list has commas.
    describe: (s, findings) => tr('map.linkLabel', { from: nodes[linkFrom(s.link)], to: nodes[s.link], state: state(s), aspects: aspects[s.link].split(' · ').join(', '), findings }),
    checks: tr('map.reportChecks'),
  };
}

/** The host of an endpoint URL for a node's second line; the text itself when it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
