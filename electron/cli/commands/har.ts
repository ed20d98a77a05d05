import path from 'node:path';
import type { Language } from '../../contract/commands.js';
import { writeFileAtomic } from '../../core/fs/atomic-write.js';
import type { HarAnalysis, HarRequestRef } from '../../core/har/har-analyze.js';
import type { ImportSummary } from '../../core/har/har-import.js';
import type { RedactionReport } from '../../core/har/har-report.js';
import { command, failure, findProfile, hostRequest, listOf, print, type CliCommand, type Context } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { cliText, decimal, labelled } from '../text.js';

type Params = Record<string, string | number>;

function progress(ctx: Context): ((read: number, total: number) => void) | undefined {
  if (ctx.json || !ctx.io.isTty) return undefined;
  const lang = ctx.lang();
  let shown = -1;
  const started = Date.now();
  return (read, total) => {
    const pct = Math.floor((read / total) * 100);
    if (pct === shown) return;
    shown = pct;
    const mbps = read / 2 ** 20 / Math.max((Date.now() - started) / 1000, 0.001);
    const mib = (n: number) => decimal(lang, n, 0);
    ctx.io.stderr(`\r${cliText(lang, 'cli.har.progress', { pct, read: mib(read / 2 ** 20), total: mib(total / 2 ** 20), rate: mib(mbps) })}${pct === 100 ? '\n' : ''}`);
  };
}

/** `name 3, other 1`: the counts above zero of a tally. */
const tally = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

function reportText(r: RedactionReport, input: string, output: string, reportFile: string | undefined, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Params) => cliText(lang, key, params);
  const rows: [string, string][] = [
    [t('cli.har.byRule'), tally(r.byRule) || '–'],
    [t('cli.har.byLocation'), tally(r.byLocation) || '–'],
  ];
  if (r.examples.length) rows.push([t('cli.har.examples'), r.examples.slice(0, 8).map((e) => `${e.name} → ${e.placeholder}`).join(', ')]);
  const lines = [
    t('cli.har.sanitised', { input, output, entries: r.input.entries, redactions: r.totals.redactions, touched: r.totals.entriesTouched, dropped: r.totals.bodiesDropped }),
    ...labelled(rows).split('\n').map((l) => `  ${l}`),
  ];
  if (r.totals.repairs) lines.push(`  ${t('cli.har.repaired', { count: r.totals.repairs })}`);
  for (const note of r.notes) lines.push(`  ${t('cli.har.note', { note })}`);
  lines.push(reportFile ? t('cli.har.report', { file: reportFile }) : t('cli.har.noReport'));
  return lines.join('\n');
}

function summaryText(file: string, s: ImportSummary, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Params) => cliText(lang, key, params);
  const creator = s.creator ? `${s.creator.name} ${s.creator.version}`.trim() : t('cli.har.unknownExporter');
  const lines = [
    t('cli.har.valid', {
      file,
      version: s.version ?? t('cli.har.noVersion'),
      creator: `${creator}${s.browser ? ` (${s.browser.name} ${s.browser.version})` : ''}`,
      entries: s.entries,
      pages: s.pages,
      bytes: s.bytes,
      bom: s.bom ? t('cli.har.withBom') : '',
    }),
  ];
  if (s.repairCount > 0) {
    lines.push(t('cli.har.repairs', { count: s.repairCount }));
    for (const r of s.repairs.slice(0, 10)) lines.push(`  ${r}`);
    if (s.repairCount > 10) lines.push(`  ${t('cli.har.more', { count: s.repairCount - 10 })}`);
  }
  return lines.join('\n');
}

function refLine(r: HarRequestRef): string {
  const status = r.status > 0 ? String(r.status) : 'ERR';
  return `  #${r.index} ${status.padEnd(3)} ${r.method} ${r.url} · ${Math.round(r.timeMs)} ms${r.error ? ` · ${r.error}` : ''}`;
}

function analysisText(file: string, a: HarAnalysis, titles: Record<string, { en: string; de: string }>, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Params) => cliText(lang, key, params);
  const from = a.startedAt ? t('cli.har.from', { when: a.startedAt }) : '';
  const lines = [t('cli.har.analysis', { file, count: a.entries, seconds: decimal(lang, a.durationMs / 1000, 1), from, failed: a.failedCount })];
  if (a.findingCodes.length) {
    lines.push('', `${t('cli.har.findings')}:`);
    for (const code of a.findingCodes) lines.push(`  ${code}: ${titles[code]?.[lang] ?? ''}`);
  }
  if (a.moduleErrors.length) {
    lines.push('', `${t('cli.har.moduleErrors')}:`);
    for (const m of a.moduleErrors.slice(0, 20)) {
      lines.push(`  #${m.index} ${m.code ? `${m.code} ` : ''}${m.httpStatus ? `[${m.httpStatus}] ` : ''}"${m.excerpt}" (${m.url})`);
      if (m.candidates.length) lines.push(`      ${t('cli.har.possibleCauses', { codes: m.candidates.join(', ') })}`);
    }
  }
  if (a.regions.otherRegion.length) {
    lines.push('', t('cli.har.otherRegion', { region: a.regions.expected?.toUpperCase() ?? '?' }));
    for (const h of a.regions.otherRegion) lines.push(`  ${h.host} (${h.region.toUpperCase()}, ${h.role}) × ${h.count}, ${t('cli.har.first', { index: h.firstIndex })}`);
  } else if (a.regions.seen.length > 1) {
    lines.push('', t('cli.har.severalRegions', { regions: a.regions.seen.map((r) => r.toUpperCase()).join(', ') }));
  }
  if (a.failed.length) {
    lines.push('', t(a.failedCount > 20 ? 'cli.har.failedFirst' : 'cli.har.failed', { count: a.failedCount }));
    for (const r of a.failed.slice(0, 20)) lines.push(refLine(r));
  }
  if (a.slowest.length) {
    lines.push('', t('cli.har.slowest'));
    for (const r of a.slowest) lines.push(refLine(r));
  }
  return lines.join('\n');
}

function writeOut(file: string, data: string, flag: string): void {
  try {
    writeFileAtomic(path.resolve(file), data);
  } catch (error) {
    throw UsageError.of('cli.usage.cannotWrite', { flag, file, problem: failure(error) }, flag.replace(/^-+/, ''));
  }
}

export const harCommands: CliCommand[] = [
  command({
    name: 'har sanitize',
    usage: 'xet har sanitize IN.har -o OUT.har [--report R.json] [--profile NAME …] [--keyword K …] [--keep-bodies] [--json]',
    summary: 'cli.help.harSanitize',
    positionals: { min: 1, max: 1, names: 'IN.har' },
    options: {
      output: { type: 'string', short: 'o' },
      report: { type: 'string' },
      profile: { type: 'string', multiple: true },
      keyword: { type: 'string', multiple: true },
      'keep-bodies': { type: 'boolean' },
    },
    flags: { '-o': 'output', '--profile': 'profileIds' },
    async run(ctx, values, [input]) {
      const output = values.output;
      if (!output) throw UsageError.of('cli.usage.sanitizeOutput', undefined, 'output');
      const profileIds = [];
      for (const name of listOf(values.profile)) profileIds.push((await findProfile(ctx, name)).id);
      const onProgress = progress(ctx);
      // Ctrl-C or a TERM stops the pass cleanly: the core removes its temp file beside OUT (the
      // default action of the signal would end the process with the temp file left there).
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let result;
      try {
        result = await hostRequest(ctx, 'har.sanitizeFile', { input: input!, output, profileIds, keywords: listOf(values.keyword), keepBodies: values['keep-bodies'] === true, signal: controller.signal, onProgress });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const reportFile = values.report;
      if (reportFile) writeOut(reportFile, `${JSON.stringify(result.report, null, 2)}\n`, '--report');
      return print(ctx, { output: path.resolve(output), report: result.report }, reportText(result.report, input!, output, reportFile, ctx.lang()));
    },
  }),
  command({
    name: 'har validate',
    usage: 'xet har validate IN.har [--json]',
    summary: 'cli.help.harValidate',
    positionals: { min: 1, max: 1, names: 'IN.har' },
    options: {},
    async run(ctx, _values, [input]) {
      const summary = await hostRequest(ctx, 'har.validateFile', { file: input!, onProgress: progress(ctx) });
      return print(ctx, { valid: true, ...summary }, summaryText(input!, summary, ctx.lang()));
    },
  }),
  command({
    name: 'har analyze',
    usage: 'xet har analyze IN.har [--profile NAME | --region nam|eu|apjc] [--svg FILE] [--lang en|de] [--json]',
    summary: 'cli.help.harAnalyze',
    positionals: { min: 1, max: 1, names: 'IN.har' },
    options: { profile: { type: 'string' }, region: { type: 'string' }, svg: { type: 'string' } },
    async run(ctx, values, [input]) {
      const lang = ctx.lang();
      const profileId = values.profile === undefined ? undefined : (await findProfile(ctx, values.profile)).id;
      const { analysis, svg, titles } = await hostRequest(ctx, 'har.analyzeFile', { file: input!, profileId, region: values.region });
      if (values.svg) writeOut(values.svg, svg, '--svg');
      print(ctx, analysis, analysisText(input!, analysis, titles, lang));
      return analysis.findingCodes.length > 0 ? EXIT.FINDINGS : EXIT.OK;
    },
  }),
];
