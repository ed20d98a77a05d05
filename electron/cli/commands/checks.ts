import path from 'node:path';
import { farSideChecked, type CheckDefinition, type CheckResult, type CheckStatus, type Finding, type ProfileFormField, type Run, type RunDiff, type RunSummary, type TriageResult } from '../../contract/checks.js';
import type { Language, RequestOf } from '../../contract/commands.js';
import { ProfileKind, RegionId } from '../../contract/profiles.js';
import { readEndpointsFile } from '../../core/checks/endpoints.js';
import { severityAtLeast } from '../../core/checks/findings.js';
import { call, command, findProfile, flagValue, listOf, print, proxyFlag, request, viaContract, wholeNumber, type CliCommand } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { cliText, decimal } from '../text.js';
import { profileCommand } from './profiles.js';

const ICON: Record<CheckStatus | 'running', string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', 'needs-input': 'INPUT', error: 'ERROR', running: '....' };

/** The command that changes a profile field a finding points at. */
const FIELD_COMMAND: Record<ProfileFormField, (name: string) => string> = {
  host: (n) => `xet profile edit "${n}" --host …`,
  region: (n) => `xet profile edit "${n}" --region nam|eu|apjc`,
  httpsPort: (n) => `xet profile edit "${n}" --https-port …`,
  httpPort: (n) => `xet profile edit "${n}" --http-port …`,
  username: (n) => `xet profile edit "${n}" --username …`,
  password: (n) => `xet secret set "${n}" --kind api-password < file`,
  trust: (n) => `xet profile pin "${n}"`,
  cluster: (n) => `xet profile edit "${n}" --cluster …`,
  xdrClientId: (n) => `xet profile edit "${n}" --xdr-client-id …`,
  xdrClientSecret: (n) => `xet secret set "${n}" --kind xdr-client-secret < file`,
};

/** One finding as text: what it explains, and where the fix is (the profile field, the manual step, the portal). */
export function findingText(f: Finding, lang: Language, index: number, profile = 'PROFILE'): string {
  const step = f.seedStep ? ` [${f.seedStep}]` : '';
  const lines = [`${index + 1}. ${f.severity.toUpperCase()} ${f.code}${step}: ${f.title[lang]}`, `   ${f.cause[lang]}`];
  if (f.explains?.length) lines.push(`   ${cliText(lang, 'cli.checks.explains', { list: f.explains.map((e) => `${e.code} (${e.title[lang]})`).join(', ') })}`);
  f.remediation[lang].forEach((r, i) => lines.push(`   ${i + 1}) ${r}`));
  if (f.fix?.profileField) lines.push(`   ${cliText(lang, 'cli.checks.fixProfile', { command: FIELD_COMMAND[f.fix.profileField](profile) })}`);
  if (f.fix?.question) lines.push(`   ${cliText(lang, 'cli.checks.fixQuestion', { answer: `--answer ${f.fix.question}=…` })}`);
  if (f.fix?.portal) lines.push(`   ${cliText(lang, 'cli.checks.fixPortal', { url: f.fix.portal.url })}`);
  return lines.join('\n');
}

function checkLine(c: CheckResult, lang: Language): string {
  return `  ${ICON[c.status].padEnd(5)} ${c.id.padEnd(18)} ${c.summary[lang]}${c.durationMs >= 1000 ? ` (${decimal(lang, c.durationMs / 1000, 1)} s)` : ''}`;
}

/**
 * What is left to do after a run: the far side the run could not check (not said of a run the user
 * narrowed with --only), the questions and inputs still waiting.
 */
function nextSteps(run: Run, lang: Language, defs: readonly CheckDefinition[], partial: boolean): string[] {
  const steps: string[] = [];
  const name = run.profileName;
  if (!partial && !farSideChecked(run.checks)) {
    steps.push(cliText(lang, 'cli.checks.nextXdrClient', { command: `${FIELD_COMMAND.xdrClientId(name)} && ${FIELD_COMMAND.xdrClientSecret(name)}` }));
  }
  const byId = new Map(defs.map((d) => [d.id, d]));
  const waiting = run.checks.filter((c) => c.status === 'needs-input');
  if (waiting.length === 0) return steps;
  steps.push(cliText(lang, 'cli.checks.nextInputs', { count: waiting.length }));
  // A manual question is answered with --answer and one of its choices; the inputs (the token) have flags of their own.
  const question = waiting.map((c) => byId.get(c.id)).find((d) => d?.kind === 'manual' && d.choices.length > 0);
  if (question) steps.push(`  ${cliText(lang, 'cli.checks.nextAnswer', { command: `xet check "${name}" --answer ${question.id}=${question.choices.map((c) => c.value).join('|')}` })}`);
  if (waiting.some((c) => byId.get(c.id)?.kind === 'input')) steps.push(`  ${cliText(lang, 'cli.checks.nextToken')}`);
  return steps;
}

/** A run as text; with the runbook's definitions it ends with what is left to do. `partial`: the run was narrowed with --only. */
export function runText(run: Run, lang: Language, defs: readonly CheckDefinition[] = [], partial = false): string {
  const head = cliText(lang, 'cli.checks.runHead', { id: run.id.slice(0, 8), profile: run.profileName, kind: run.profileKind.toUpperCase(), region: run.region.toUpperCase(), state: run.state, ms: run.durationMs ?? '?' });
  const none = partial || farSideChecked(run.checks) ? 'cli.checks.noFindings' : 'cli.checks.noFindingsNearSide';
  const findings = run.findings.length === 0 ? cliText(lang, none) : `${cliText(lang, 'cli.checks.findings')}:\n${run.findings.map((f, i) => findingText(f, lang, i, run.profileName)).join('\n\n')}`;
  const checks = `${cliText(lang, 'cli.checks.checks')}:\n${run.checks.map((c) => checkLine(c, lang)).join('\n')}`;
  const where = `${cliText(lang, 'cli.checks.endpoints')}: ${run.endpoints.source}${run.proxy ? ` · proxy ${run.proxy}` : ''}`;
  const next = run.state === 'completed' ? nextSteps(run, lang, defs, partial) : [];
  return [head, '', findings, '', checks, '', where, ...(next.length ? ['', `${cliText(lang, 'cli.checks.next')}:`, ...next.map((l) => `  ${l}`)] : [])].join('\n');
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
  lines.push(`${cliText(lang, 'cli.checks.changed')}:`);
  if (d.checks.length === 0) lines.push('  –');
  for (const c of d.checks) lines.push(`  ${c.id.padEnd(18)} ${c.before ?? '–'} → ${c.after ?? '–'}`);
  lines.push('', `${cliText(lang, 'cli.checks.newFindings')}:`);
  lines.push(...(d.findings.new.length ? d.findings.new.map((f) => `  + ${f.code}: ${f.title[lang]}`) : ['  –']));
  lines.push(`${cliText(lang, 'cli.checks.resolvedFindings')}:`);
  lines.push(...(d.findings.resolved.length ? d.findings.resolved.map((f) => `  - ${f.code}: ${f.title[lang]}`) : ['  –']));
  if (d.findings.unchanged.length) lines.push(`${cliText(lang, 'cli.checks.unchanged')}: ${d.findings.unchanged.join(', ')}`);
  return lines.join('\n');
}

function triageText(t: TriageResult, lang: Language): string {
  if (!t.matched) return `${cliText(lang, 'cli.checks.unknownMessage')} ${t.advice[lang]}`;
  return t.matches
    .map((m) =>
      [
        `${cliText(lang, 'cli.checks.recognised')} (${m.language.toUpperCase()}): "${m.excerpt}"${m.httpStatus ? ` [HTTP ${m.httpStatus}]` : ''}`,
        ...m.findings.map((f, i) => findingText(f, lang, i)),
        `${cliText(lang, 'cli.checks.checksToRun')}: ${m.checks.map((c) => c.id).join(', ') || '–'}`,
      ].join('\n'),
    )
    .concat(t.advice[lang])
    .join('\n\n');
}

function parseAnswers(raw: string[]): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const item of raw) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(item.trim());
    if (!m) throw UsageError.of('cli.usage.answer', { value: item }, 'answer');
    answers[m[1]!] = m[2]!;
  }
  return answers;
}

/** Flag → the checks.start field it sets (host options included: proxy, endpoints). */
const CHECK_FIELDS = {
  '--only': 'only',
  '--timeout-ms': 'timeoutMs',
  '--answer': 'answers',
  '--token': 'token.value',
  '--token-created': 'token.createdAt',
  '--token-lifetime': 'token.lifetime',
  '--token-region': 'token.region',
  '--error': 'errorText',
  '--proxy': 'proxy',
  '--endpoints': 'endpoints',
} as const;

/** `xet check PROFILE`'s flags (`--all` adds its own, check-all.ts). */
export const CHECK_OPTIONS = {
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
} as const;

export const checkCommands: CliCommand[] = [
  profileCommand({
    name: 'check',
    usage:
      'xet check PROFILE [--json] [--only ID,…] [--timeout-ms N] [--answer CHECK_ID=yes|no|unsure …] [--token T|- --token-created ISO8601 --token-lifetime DURATION --token-region nam|eu|apjc] [--error TEXT] [--endpoints FILE] [--proxy URL] [--lang en|de]',
    summary: 'cli.help.check',
    argument: 'PROFILE',
    options: CHECK_OPTIONS,
    flags: CHECK_FIELDS,
    async run(ctx, profile, values) {
      const lang = ctx.lang();
      const core = ctx.core();
      const timeout = values['timeout-ms'];
      if (timeout !== undefined && !/^\d+$/.test(timeout)) throw UsageError.of('cli.usage.timeoutMs', { value: timeout }, 'timeoutMs');
      let tokenValue = values.token;
      if (tokenValue === '-') tokenValue = (await ctx.io.readStdin()).trim();
      const created = values['token-created'];
      const lifetime = values['token-lifetime'];
      const region = values['token-region'] === undefined ? undefined : flagValue('--token-region', 'token.region', RegionId, values['token-region']);
      if (!tokenValue && (created !== undefined || lifetime !== undefined || region !== undefined)) {
        throw UsageError.of('cli.usage.tokenFlags', undefined, 'token');
      }
      // Masked before the dispatcher sees it, so no refusal or log line can quote it.
      if (tokenValue) core.log.redactor.addSecret(tokenValue);
      const req: RequestOf<'checks.start'> = {
        profileId: profile.id,
        ...(values.only !== undefined ? { only: values.only.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
        answers: parseAnswers(listOf(values.answer)),
        ...(tokenValue ? { token: { value: tokenValue, ...(created ? { createdAt: created } : {}), ...(lifetime ? { lifetime } : {}), ...(region ? { region } : {}) } } : {}),
        ...(values.error !== undefined ? { errorText: values.error } : {}),
      };
      const endpointsFile = values.endpoints;
      const endpoints = endpointsFile ? await viaContract(() => readEndpointsFile(path.resolve(endpointsFile))) : undefined;
      const proxy = proxyFlag(values.proxy);
      const unsubscribe =
        ctx.json || !ctx.io.isTty
          ? () => undefined
          : core.bus.on('checks.progress', (p) => {
              if (p.check.result) ctx.io.stderr(`[${String(p.done).padStart(2)}/${p.total}] ${checkLine(p.check.result, lang).trimStart()}\n`);
            });
      let run: Run;
      try {
        // A locked vault with a stored password is refused up front (LOCKED): the runner asks for
        // the passphrase on a terminal and runs the command again.
        const { runId } = await request(ctx, 'checks.start', req, { proxy, endpoints, wait: true });
        run = await request(ctx, 'runs.get', { id: runId });
      } finally {
        unsubscribe();
      }
      const defs = ctx.json ? [] : (await request(ctx, 'checks.runbook', run.profileId ? { profileId: run.profileId } : { kind: run.profileKind })).checks;
      print(ctx, run, runText(run, lang, defs, values.only !== undefined));
      return run.findings.some((f) => severityAtLeast(f.severity, 'error')) ? EXIT.FINDINGS : EXIT.OK;
    },
  }),
  command({
    name: 'triage',
    usage: 'xet triage TEXT [--kind esa|sma|ces] [--json] [--lang en|de]',
    summary: 'cli.help.triage',
    positionals: { min: 1, max: 1, names: 'TEXT' },
    options: { kind: { type: 'string' } },
    flags: { TEXT: 'text', '--kind': 'kind' },
    run(ctx, values, [text]) {
      const kind = values.kind === undefined ? undefined : flagValue('--kind', 'kind', ProfileKind, values.kind);
      return call(ctx, 'checks.triage', { text: text!, ...(kind ? { kind } : {}) }, triageText);
    },
  }),
  command({
    name: 'runs list',
    usage: 'xet runs list [PROFILE] [--limit N] [--json]',
    summary: 'cli.help.runsList',
    positionals: { min: 0, max: 1, names: 'PROFILE' },
    options: { limit: { type: 'string' } },
    flags: { '--limit': 'limit' },
    async run(ctx, values, [name]) {
      const limit = wholeNumber('--limit', values.limit, 1, 500, 'limit') ?? 50;
      const profileId = name ? (await findProfile(ctx, name)).id : undefined;
      const { runs } = await request(ctx, 'runs.list', { limit, ...(profileId ? { profileId } : {}) });
      return print(ctx, { runs }, runs.length ? runs.map(summaryLine).join('\n') : cliText(ctx.lang(), 'cli.checks.noRuns'));
    },
  }),
  command({
    name: 'runs show',
    usage: 'xet runs show ID [--json] [--lang en|de]',
    summary: 'cli.help.runsShow',
    positionals: { min: 1, max: 1, names: 'ID' },
    options: {},
    run: (ctx, _values, [id]) => call(ctx, 'runs.get', { id: id! }, runText, { idPrefix: true }),
  }),
  command({
    name: 'runs diff',
    usage: 'xet runs diff BEFORE AFTER [--json] [--lang en|de]',
    summary: 'cli.help.runsDiff',
    positionals: { min: 2, max: 2, names: 'BEFORE AFTER' },
    options: {},
    run: (ctx, _values, [a, b]) => call(ctx, 'runs.diff', { before: a!, after: b! }, diffText, { idPrefix: true }),
  }),
];
