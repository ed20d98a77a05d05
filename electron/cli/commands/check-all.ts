import path from 'node:path';
import type { Finding } from '../../contract/checks.js';
import type { Language } from '../../contract/commands.js';
import { MAX_BATCH_CONCURRENCY, type BatchItem, type BatchState } from '../../contract/overview.js';
import { profileKinds, regionIds } from '../../contract/profiles.js';
import { readEndpointsFile } from '../../core/checks/endpoints.js';
import { command, oneOf, print, proxyFlag, request, viaContract, wholeNumber, type CliCommand, type Context, type ValuesOf } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { cliText, translate } from '../text.js';
import { CHECK_OPTIONS } from './checks.js';

const ALL_OPTIONS = {
  all: { type: 'boolean' },
  kind: { type: 'string' },
  region: { type: 'string' },
  cluster: { type: 'string' },
  concurrency: { type: 'string' },
} as const;

/** `xet check`'s flags with and without `--all`, as the runner parses them. */
const CHECK_ALL_OPTIONS = { ...CHECK_OPTIONS, ...ALL_OPTIONS } as const;
type Values = ValuesOf<typeof CHECK_ALL_OPTIONS>;

const ALL_USAGE = 'xet check --all [--kind esa|sma|ces] [--region nam|eu|apjc] [--cluster C] [--concurrency N] [--timeout-ms N] [--endpoints FILE] [--proxy URL] [--json] [--lang en|de]';

function worstFinding(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'ok';
}

/** A batch item's error in the CLI's language. */
const itemError = (item: BatchItem, lang: Language): string => (item.error ? translate(item.error, lang, item.error.message) : '');

function itemLine(item: BatchItem, findings: readonly Finding[], lang: Language): string {
  if (item.state === 'failed') return `${item.profileName.padEnd(20)} FAILED     ${itemError(item, lang)}`;
  if (item.state !== 'done') return `${item.profileName.padEnd(20)} ${item.state.toUpperCase()}`;
  const top = findings.find((f) => f.severity !== 'info') ?? findings[0];
  return `${item.profileName.padEnd(20)} ${worstFinding(findings).padEnd(10)} ${top ? top.title[lang] : cliText(lang, 'cli.checkAll.noProblems')}`;
}

const isProblem = (f: Finding) => f.severity === 'critical' || f.severity === 'error';

/** `xet check --all`: one batch through the dispatcher, progress on stderr, one document or table on stdout. */
async function runAll(ctx: Context, values: Values, lang: Language): Promise<number> {
  const endpointsFile = values.endpoints;
  const endpoints = endpointsFile ? await viaContract(() => readEndpointsFile(path.resolve(endpointsFile))) : undefined;
  const proxy = proxyFlag(values.proxy);
  const kind = oneOf('--kind', values.kind, profileKinds, 'kind');
  const region = oneOf('--region', values.region, regionIds, 'region');
  const concurrency = wholeNumber('--concurrency', values.concurrency, 1, MAX_BATCH_CONCURRENCY, 'concurrency');
  const timeoutMs = wholeNumber('--timeout-ms', values['timeout-ms'], 100, 120_000, 'timeout-ms');
  const cluster = values.cluster;

  let finished: (state: BatchState) => void = () => undefined;
  const ended = new Promise<BatchState>((resolve) => (finished = resolve));
  let batchId: string | null = null;
  const seen = new Map<string, string>();
  const onBatch = (state: BatchState): void => {
    const done = state.items.filter((i) => i.state !== 'queued' && i.state !== 'running').length;
    for (const item of state.items) {
      if (seen.get(item.profileId) === item.state) continue;
      seen.set(item.profileId, item.state);
      if (item.state !== 'queued') ctx.io.stderr(`[${String(done).padStart(String(state.items.length).length)}/${state.items.length}] ${item.profileName}: ${item.state}${item.error ? ` (${itemError(item, lang)})` : ''}\n`);
    }
    if (state.state !== 'running') finished(state);
  };
  // Subscribed before the start, so a batch that ends at once is still heard.
  const unsubscribe = ctx.core().bus.subscribe((event, payload) => {
    if (event !== 'checks.batch') return;
    const state = payload as BatchState;
    if (batchId !== null && state.batchId === batchId) onBatch(state);
  });
  let final: BatchState;
  try {
    const started = await request(
      ctx,
      'checks.startAll',
      { ...(kind ? { kind } : {}), ...(region ? { region } : {}), ...(cluster ? { cluster } : {}), ...(concurrency ? { concurrency } : {}), ...(timeoutMs ? { timeoutMs } : {}) },
      { proxy, endpoints },
    );
    batchId = started.batchId;
    ctx.io.stderr(`${cliText(lang, 'cli.checkAll.starting', { count: started.items.length, concurrency: started.concurrency })}\n`);
    // Whatever happened before the id was known (a batch can end at once).
    const latest = (await request(ctx, 'checks.batchStatus', { batchId })).batch;
    if (latest) onBatch(latest);
    final = await ended;
  } finally {
    unsubscribe();
  }

  const byId = new Map((await request(ctx, 'profiles.list', {})).profiles.map((p) => [p.id, p]));
  const profiles = await Promise.all(
    final.items.map(async (item) => {
      const run = item.runId && item.summary ? await request(ctx, 'runs.get', { id: item.runId }) : null;
      const p = byId.get(item.profileId);
      return {
        profile: { id: item.profileId, name: item.profileName, kind: p?.kind ?? null, host: p?.host ?? null, region: p?.region ?? null, cluster: p?.cluster ?? null },
        state: item.state,
        summary: item.summary,
        findings: run?.findings ?? [],
        error: item.error,
      };
    }),
  );
  const count = (pred: (e: (typeof profiles)[number]) => boolean) => profiles.filter(pred).length;
  const summary = {
    total: profiles.length,
    ok: count((e) => e.state === 'done' && !e.findings.some(isProblem)),
    withErrors: count((e) => e.findings.some(isProblem)),
    failed: count((e) => e.state === 'failed'),
    cancelled: count((e) => e.state === 'cancelled'),
  };
  const document = { batch: { id: final.batchId, state: final.state, concurrency: final.concurrency, startedAt: final.startedAt, finishedAt: final.finishedAt }, summary, profiles };
  const human = [...profiles.map((e, i) => itemLine(final.items[i]!, e.findings, lang)), '', cliText(lang, 'cli.checkAll.summary', summary)].join('\n');
  print(ctx, document, human);
  return summary.withErrors > 0 || summary.failed > 0 || final.state === 'cancelled' ? EXIT.FINDINGS : EXIT.OK;
}

/**
 * Adds `--all` to `xet check`: the same command name (so `xet check --all` reads as the journey
 * does), the batch flags, and the single-profile command untouched when `--all` is absent.
 */
export function withCheckAll(commands: CliCommand[]): CliCommand[] {
  return commands.map((single) => {
    if (single.name !== 'check') return single;
    return command({
      ...single,
      usage: `${single.usage}\n  ${ALL_USAGE}`,
      options: CHECK_ALL_OPTIONS,
      positionals: { min: 0, max: single.positionals?.max ?? 1, names: single.positionals?.names ?? 'PROFILE' },
      async run(ctx, values, positionals) {
        const batchFlag = (['kind', 'region', 'cluster', 'concurrency'] as const).find((f) => values[f] !== undefined);
        if (values.all !== true) {
          if (batchFlag) throw UsageError.of('cli.usage.needsAll', { flag: `--${batchFlag}` }, batchFlag);
          if (positionals.length === 0) throw UsageError.of('cli.usage.missingArgument', { command: 'check', names: 'PROFILE', usage: single.usage });
          return await single.run(ctx, values, positionals);
        }
        if (positionals.length > 0) throw UsageError.of('cli.usage.allUnexpected', { argument: positionals[0]! });
        const singleOnly = (['only', 'answer', 'token', 'token-created', 'token-lifetime', 'token-region', 'error'] as const).find((f) => values[f] !== undefined);
        if (singleOnly) throw UsageError.of('cli.usage.allSingleOnly', { flag: `--${singleOnly}` }, singleOnly);
        return await runAll(ctx, values, ctx.lang());
      },
    });
  });
}
