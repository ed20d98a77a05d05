import { parseLifetime } from '../../../contract/checks.js';
import type { RegionId } from '../../../contract/profiles.js';
import { fillLocalized, type ProbeDef } from '../../knowledge/runbook.js';
import { triage } from '../triage.js';
import { durationText } from './asyncos.js';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { dateTimeText } from './time-text.js';

type FormatDef = Extract<ProbeDef, { type: 'token-format' }>;
type LifetimeDef = Extract<ProbeDef, { type: 'token-lifetime' }>;
type ManualDef = Extract<ProbeDef, { type: 'manual' }>;

export function regionLabel(ctx: ProbeContext, region: RegionId) {
  return ctx.knowledge.regionLabels[region];
}

/** Describes a token's shape without revealing it. */
export function tokenShape(token: string): { en: string; de: string } {
  const traits: [boolean, string, string][] = [
    [/\s/.test(token), 'contains spaces or line breaks', 'enthält Leerzeichen oder Zeilenumbrüche'],
    [/[A-F]/.test(token) && !/[G-Zg-z]/.test(token), 'upper-case hex', 'Hex in Großbuchstaben'],
    [/[g-zG-Z]/.test(token), 'letters beyond a–f', 'Buchstaben außer a–f'],
    [/[^0-9a-zA-Z\s]/.test(token), 'punctuation', 'Satzzeichen'],
  ];
  const found = traits.filter(([hit]) => hit);
  if (found.length === 0) return { en: 'hexadecimal, unusual length', de: 'hexadezimal, ungewöhnliche Länge' };
  return { en: found.map((t) => t[1]).join(', '), de: found.map((t) => t[2]).join(', ') };
}

export const tokenFormatProbe: Probe<FormatDef> = async (ctx, def): Promise<ProbeResult> => {
  const value = ctx.token?.value;
  if (!value) return { outcome: 'no-token' };
  const trimmed = value.trim();
  const evidence = { length: trimmed.length, note: 'the token itself is never stored or shown' };
  if (new RegExp(def.pattern).test(trimmed)) return { outcome: 'pass', params: { length: trimmed.length }, evidence };
  return { outcome: 'unusual', params: { length: trimmed.length, shape: tokenShape(trimmed) }, evidence: { ...evidence, shape: tokenShape(trimmed).en } };
};

export const tokenLifetimeProbe: Probe<LifetimeDef> = async (ctx, def): Promise<ProbeResult> => {
  const t = ctx.token;
  if (!t?.createdAt || !t.lifetime) return { outcome: 'no-token' };
  const lifetimeMs = parseLifetime(t.lifetime);
  if (lifetimeMs === null) throw new Error(`token lifetime “${t.lifetime}” is not a duration`);
  const created = Date.parse(t.createdAt);
  const expires = created + lifetimeMs;
  const now = ctx.clock().getTime();
  const left = expires - now;
  const params = { createdAt: dateTimeText(created), lifetime: t.lifetime, expiresAt: dateTimeText(expires), leftText: durationText(left), agoText: durationText(-left) };
  const evidence = { createdAt: new Date(created).toISOString(), lifetime: t.lifetime, expiresAt: new Date(expires).toISOString(), now: new Date(now).toISOString(), secondsLeft: Math.round(left / 1000) };
  if (left <= 0) return { outcome: 'expired', params, evidence };
  if (left < def.warnBelowMinutes * 60_000) return { outcome: 'expires-soon', params, evidence };
  return { outcome: 'pass', params, evidence };
};

export const tokenRegionProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const region = ctx.token?.region;
  if (!region) return { outcome: 'no-token' };
  const params = { tokenRegionLabel: regionLabel(ctx, region), regionLabel: regionLabel(ctx, ctx.profile.region) };
  const evidence = { tokenRegion: region, applianceRegion: ctx.profile.region };
  return { outcome: region === ctx.profile.region ? 'pass' : 'mismatch', params, evidence };
};

export const manualProbe: Probe<ManualDef> = async (ctx, def): Promise<ProbeResult> => {
  const answer = ctx.answers[ctx.check.id];
  if (answer === undefined) return { outcome: 'unanswered' };
  if (answer === 'unsure') return { outcome: 'unsure', evidence: { answer } };
  return { outcome: answer === def.fail ? 'answered-fail' : 'pass', evidence: { answer } };
};

export const manualRegionProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const answer = ctx.answers[ctx.check.id];
  if (answer === undefined) return { outcome: 'unanswered' };
  if (answer === 'unsure') return { outcome: 'unsure', evidence: { answer } };
  const region = answer as RegionId;
  const params = { answerLabel: regionLabel(ctx, region), regionLabel: regionLabel(ctx, ctx.profile.region) };
  return { outcome: region === ctx.profile.region ? 'pass' : 'mismatch', params, evidence: { answer, profileRegion: ctx.profile.region } };
};

/** Matches the pasted error text and raises the symptom findings it names. */
export const errorTextProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const text = ctx.errorText?.trim();
  if (!text) return { outcome: 'no-text' };
  const matches = triage(ctx.knowledge, text);
  if (matches.length === 0) return { outcome: 'unknown', evidence: { characters: text.length } };
  // Named by what they mean (the findings' titles), not by the patterns' ids.
  const titles = matches.flatMap((m) => (m.raises.length > 0 ? m.raises.map((code) => fillLocalized(ctx.knowledge.findings.get(code)!.title, m.params)) : [{ en: m.pattern.id, de: m.pattern.id }]));
  return {
    outcome: 'pass',
    params: { patterns: { en: titles.map((x) => x.en).join('; '), de: titles.map((x) => x.de).join('; ') } },
    evidence: { matched: matches.map((m) => m.pattern.id), excerpts: matches.map((m) => m.excerpt) },
    // A pasted message is a symptom: its possible causes let the findings show it with the cause the run finds.
    raises: matches.flatMap((m) => m.raises.map((code) => ({ code, params: m.params, causes: m.candidates.filter((c) => c !== code) }))),
  };
};
