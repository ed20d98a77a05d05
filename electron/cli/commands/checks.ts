import path from 'node:path';
import type { CheckResult, CheckStatus, Finding, Run, RunDiff, RunSummary, TriageResult } from '../../contract/checks.js';
import { commands } from '../../contract/commands.js';
import type { Language } from '../../contract/commands.js';
import { profileKinds } from '../../contract/profiles.js';
import { issueField } from '../../core/validation.js';
import { readEndpointsFile } from '../../core/checks/endpoints.js';
import { severityAtLeast } from '../../core/checks/findings.js';
import { CommandFailed, print, viaContract, type CliCommand, type Context, type Values } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { findProfile } from './profiles.js';

const ICON: Record<CheckStatus | 'running', string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', 'needs-input': 'INPUT', error: 'ERROR', running: '....' };

function language(ctx: Context, values: Values): Language {
  const lang = values.lang as string | undefined;
  if (lang !== undefined && lang !== 'en' && lang !== 'de') throw new UsageError('--lang must be en or de', 'lang');
  return (lang as Language | undefined) ?? ctx.core().settings.get().language;
}

export function findingText(f: Finding, lang: Language, index: number): string {
  const step = f.seedStep ? ` [${f.seedStep}]` : '';
  const lines = [`${index + 1}. ${f.severity.toUpperCase()} ${f.code}${step}: ${f.title[lang]}`, `   ${f.cause[lang]}`];
  f.remediation[lang].forEach((r, i) => lines.push(`   ${i + 1}) ${r}`));
  return lines.join('\n');
}

function checkLine(c: CheckResult, lang: Language): string {
  return `  ${ICON[c.status].padEnd(5)} ${c.id.padEnd(18)} ${c.summary[lang]}${c.durationMs >= 1000 ? ` (${(c.durationMs / 1000).toFixed(1)} s)` : ''}`;
}

export function runText(run: Run, lang: Language): string {
  const de = lang === 'de';
  const head = `${de ? 'Lauf' : 'Run'} ${run.id.slice(0, 8)} · ${run.profileName} (${run.profileKind.toUpperCase()}, ${run.region.toUpperCase()}) · ${run.state} · ${run.durationMs ?? '?'} ms`;
  const findings =
    run.findings.length === 0
      ? de
        ? 'Keine Befunde.'
        : 'No findings.'
      : `${de ? 'Befunde (wahrscheinlichste Ursache zuerst)' : 'Findings (most likely root cause first)'}:\n${run.findings.map((f, i) => findingText(f, lang, i)).join('\n\n')}`;
  const checks = `${de ? 'Prüfungen' : 'Checks'}:\n${run.checks.map((c) => checkLine(c, lang)).join('\n')}`;
  const where = `${de ? 'Cloud-Endpunkte' : 'Cloud endpoints'}: ${run.endpoints.source}${run.proxy ? ` · proxy ${run.proxy}` : ''}`;
  return [head, '', findings, '', checks, '', where].join('\n');
}

function summaryLine(r: RunSummary): string {
  const counts = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return `${r.id.slice(0, 8)}  ${r.startedAt.replace('T', ' ').slice(0, 19)}  ${r.profileName.padEnd(16)}  ${r.state.padEnd(9)}  ${(r.worstSeverity ?? 'ok').padEnd(8)}  ${r.findingCodes.join(',') || '–'}  (${counts})`;
}

function diffText(d: RunDiff, lang: Language): string {
  const lines = [`${d.before.id.slice(0, 8)} (${d.before.startedAt}) → ${d.after.id.slice(0, 8)} (${d.after.startedAt})`, ''];
  lines.push(lang === 'de' ? 'Geänderte Prüfungen:' : 'Checks that changed:');
  if (d.checks.length === 0) lines.push('  –');
  for (const c of d.checks) lines.push(`  ${c.id.padEnd(18)} ${c.before ?? '–'} → ${c.after ?? '–'}`);
  lines.push('', lang === 'de' ? 'Neue Befunde:' : 'New findings:');
  lines.push(...(d.findings.new.length ? d.findings.new.map((f) => `  + ${f.code}: ${f.title[lang]}`) : ['  –']));
  lines.push(lang === 'de' ? 'Behobene Befunde:' : 'Resolved findings:');
  lines.push(...(d.findings.resolved.length ? d.findings.resolved.map((f) => `  - ${f.code}: ${f.title[lang]}`) : ['  –']));
  if (d.findings.unchanged.length) lines.push(`${lang === 'de' ? 'Unverändert' : 'Unchanged'}: ${d.findings.unchanged.join(', ')}`);
  return lines.join('\n');
}

function triageText(t: TriageResult, lang: Language): string {
  if (!t.matched) return `${lang === 'de' ? 'Unbekannte Meldung.' : 'Unknown message.'} ${t.advice[lang]}`;
  return t.matches
    .map((m) =>
      [
        `${lang === 'de' ? 'Erkannt' : 'Recognised'} (${m.language.toUpperCase()}): "${m.excerpt}"${m.httpStatus ? ` [HTTP ${m.httpStatus}]` : ''}`,
        ...m.findings.map((f, i) => findingText(f, lang, i)),
        `${lang === 'de' ? 'Auszuführende Prüfungen' : 'Checks to run'}: ${m.checks.map((c) => c.id).join(', ') || '–'}`,
      ].join('\n'),
    )
    .concat(t.advice[lang])
    .join('\n\n');
}

function parseAnswers(raw: Values['answer']): Record<string, string> {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const answers: Record<string, string> = {};
  for (const item of list) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(String(item).trim());
    if (!m) throw new UsageError(`--answer "${String(item)}": expected CHECK_ID=yes|no|unsure (or a region id for region-server)`, 'answer');
    answers[m[1]!] = m[2]!;
  }
  return answers;
}

const FLAG_FOR: Record<string, string> = {
  only: '--only',
  timeoutMs: '--timeout-ms',
  'token.value': '--token',
  'token.createdAt': '--token-created',
  'token.lifetime': '--token-lifetime',
  'token.region': '--token-region',
  errorText: '--error',
  proxy: '--proxy',
  endpoints: '--endpoints',
};

export const checkCommands: CliCommand[] = [
  {
    name: 'check',
    usage:
      'xet check PROFILE [--json] [--only ID,…] [--timeout-ms N] [--answer CHECK_ID=yes|no|unsure …] [--token T|- --token-created ISO8601 --token-lifetime DURATION --token-region nam|eu|apjc] [--error TEXT] [--endpoints FILE] [--proxy URL] [--lang en|de]',
    summary: 'Run the checks for a profile; findings first, most likely root cause on top. Exit 1 when a finding of severity error or worse appears.',
    positionals: { min: 1, max: 1, names: 'PROFILE' },
    options: {
      only: { type: 'string' },
      'timeout-ms': { type: 'string' },
      answer: { type: 'string', multiple: true },
      token: { type: 'string' },
      'token-created': { type: 'string' },
      'token-lifetime': { type: 'string' },
      'token-region': { type: 'string' },
      error: { type: 'string' },
      endpoints: { type: 'string' },
      proxy: { type: 'string' },
      lang: { type: 'string' },
    },
    async run(ctx, values, [name]) {
      const lang = language(ctx, values);
      const profile = await findProfile(ctx, name!);
      const core = ctx.core();
      const timeout = values['timeout-ms'] as string | undefined;
      if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError(`--timeout-ms: "${timeout}" is not a whole number of milliseconds`, 'timeoutMs');
      let tokenValue = values.token as string | undefined;
      if (tokenValue === '-') tokenValue = (await ctx.io.readStdin()).trim();
      const tokenParts = { created: values['token-created'], lifetime: values['token-lifetime'], region: values['token-region'] } as Record<string, string | undefined>;
      if (!tokenValue && Object.values(tokenParts).some((v) => v !== undefined)) throw new UsageError('--token-created, --token-lifetime and --token-region describe a token: give --token too', 'token');
      const request = {
        profileId: profile.id,
        ...(values.only ? { only: String(values.only).split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
        answers: parseAnswers(values.answer),
        ...(tokenValue
          ? {
              token: {
                value: tokenValue,
                ...(tokenParts.created ? { createdAt: tokenParts.created } : {}),
                ...(tokenParts.lifetime ? { lifetime: tokenParts.lifetime } : {}),
                ...(tokenParts.region ? { region: tokenParts.region } : {}),
              },
            }
          : {}),
        ...(values.error !== undefined ? { errorText: String(values.error) } : {}),
      };
      if (tokenValue) core.log.redactor.addSecret(tokenValue);
      const parsed = commands['checks.start'].request.safeParse(request);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const { field } = issueField(issue);
        throw new UsageError(`${FLAG_FOR[field ?? ''] ?? field ?? 'request'}: ${issue.message}`, field);
      }
      const endpointsFile = values.endpoints as string | undefined;
      const endpoints = endpointsFile ? await viaContract(() => readEndpointsFile(path.resolve(endpointsFile))) : undefined;
      const proxy = values.proxy as string | undefined;
      if (proxy !== undefined && !/^https?:\/\/[^/\s]+\/?$/i.test(proxy)) throw new UsageError('--proxy: expected http://HOST:PORT or https://HOST:PORT (user:password@ allowed here, never stored)', 'proxy');
      if (profile.passwordStored && core.vault.status().state !== 'unlocked') {
        // The runner asks for the passphrase on a terminal and runs the command again.
        throw new CommandFailed({ code: 'LOCKED', message: 'The credential vault is locked: set XET_VAULT_PASSPHRASE or run xet on a terminal to enter it.' });
      }
      const unsubscribe =
        ctx.json || !ctx.io.isTty
          ? () => undefined
          : core.bus.subscribe((event, payload) => {
              if (event !== 'checks.progress') return;
              const p = payload as { done: number; total: number; check: { id: string; state: CheckStatus | 'running'; result: CheckResult | null } };
              if (p.check.result) ctx.io.stderr(`[${String(p.done).padStart(2)}/${p.total}] ${checkLine(p.check.result, lang).trimStart()}\n`);
            });
      let run: Run;
      try {
        run = await viaContract(() => core.checks.run(parsed.data, { proxy, endpoints }));
      } finally {
        unsubscribe();
      }
      print(ctx, run, runText(run, lang));
      return run.findings.some((f) => severityAtLeast(f.severity, 'error')) ? EXIT.FINDINGS : EXIT.OK;
    },
  },
  {
    name: 'triage',
    usage: 'xet triage TEXT [--kind esa|sma|ces] [--json] [--lang en|de]',
    summary: 'Recognise a pasted error message (English or German) and name the findings and checks that explain it.',
    positionals: { min: 1, max: 1, names: 'TEXT' },
    options: { kind: { type: 'string' }, lang: { type: 'string' } },
    async run(ctx, values, [text]) {
      const kind = values.kind as string | undefined;
      if (kind !== undefined && !(profileKinds as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${profileKinds.join(', ')}`, 'kind');
      const lang = language(ctx, values);
      const parsed = commands['checks.triage'].request.safeParse({ text, ...(kind ? { kind } : {}) });
      if (!parsed.success) throw new UsageError(`TEXT: ${parsed.error.issues[0]!.message}`, 'text');
      const result = await viaContract(() => ctx.core().checks.triage(parsed.data.text, parsed.data.kind, undefined));
      return print(ctx, result, triageText(result, lang));
    },
  },
  {
    name: 'runs list',
    usage: 'xet runs list [PROFILE] [--limit N] [--json]',
    summary: 'Stored check runs, newest first (all profiles, or one).',
    positionals: { min: 0, max: 1, names: 'PROFILE' },
    options: { limit: { type: 'string' } },
    async run(ctx, values, [name]) {
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be a whole number from 1 to 500', 'limit');
      const profileId = name ? (await findProfile(ctx, name)).id : undefined;
      const { runs } = await viaContract(() => ctx.core().checks.list(profileId, limit));
      return print(ctx, { runs }, runs.length ? runs.map(summaryLine).join('\n') : 'No runs yet. Run: xet check PROFILE');
    },
  },
  {
    name: 'runs show',
    usage: 'xet runs show ID [--json] [--lang en|de]',
    summary: 'One stored run: findings, then every check (ID may be the first characters of the id).',
    positionals: { min: 1, max: 1, names: 'ID' },
    options: { lang: { type: 'string' } },
    async run(ctx, values, [id]) {
      const lang = language(ctx, values);
      const run = await viaContract(() => ctx.core().checks.get(ctx.core().checks.resolveRunId(id!)));
      return print(ctx, run, runText(run, lang));
    },
  },
  {
    name: 'runs diff',
    usage: 'xet runs diff BEFORE AFTER [--json] [--lang en|de]',
    summary: 'What changed between two runs: checks whose status changed, findings new and resolved.',
    positionals: { min: 2, max: 2, names: 'BEFORE AFTER' },
    options: { lang: { type: 'string' } },
    async run(ctx, values, [a, b]) {
      const lang = language(ctx, values);
      const checks = ctx.core().checks;
      const diff = await viaContract(() => checks.diff(checks.resolveRunId(a!), checks.resolveRunId(b!)));
      return print(ctx, diff, diffText(diff, lang));
    },
  },
];
