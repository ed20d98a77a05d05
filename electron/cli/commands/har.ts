import path from 'node:path';
import { writeFileAtomic } from '../../core/fs/atomic-write.js';
import type { HarAnalysis, HarRequestRef } from '../../core/har/har-analyze.js';
import type { ImportSummary } from '../../core/har/har-import.js';
import type { RedactionReport } from '../../core/har/har-report.js';
import { command, hostRequest, listOf, print, type CliCommand, type Context } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { findProfile } from './profiles.js';
import { count } from '../../core/english.js';

function progress(ctx: Context): ((read: number, total: number) => void) | undefined {
  if (ctx.json || !ctx.io.isTty) return undefined;
  let shown = -1;
  const started = Date.now();
  return (read, total) => {
    const pct = Math.floor((read / total) * 100);
    if (pct === shown) return;
    shown = pct;
    const mbps = read / 2 ** 20 / Math.max((Date.now() - started) / 1000, 0.001);
    ctx.io.stderr(`\r${pct}% · ${(read / 2 ** 20).toFixed(0)} of ${(total / 2 ** 20).toFixed(0)} MiB · ${mbps.toFixed(0)} MiB/s${pct === 100 ? '\n' : ''}`);
  };
}

function reportText(r: RedactionReport, input: string, output: string, reportFile: string | undefined): string {
  const rules = Object.entries(r.byRule)
    .filter(([, n]) => n > 0)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  const places = Object.entries(r.byLocation)
    .filter(([, n]) => n > 0)
    .map(([loc, n]) => `${loc} ${n}`)
    .join(', ');
  const lines = [
    `Sanitised ${input} → ${output}: ${count(r.input.entries, 'entry', 'entries')}, ${count(r.totals.redactions, 'redaction')} in ${count(r.totals.entriesTouched, 'entry', 'entries')}, ${count(r.totals.bodiesDropped, 'body', 'bodies')} dropped.`,
    `  by rule:     ${rules || '–'}`,
    `  by location: ${places || '–'}`,
  ];
  if (r.examples.length) lines.push(`  examples:    ${r.examples.slice(0, 8).map((e) => `${e.name} → ${e.placeholder}`).join(', ')}`);
  if (r.totals.repairs) lines.push(`  ${count(r.totals.repairs, 'missing HAR 1.2 field')} filled so the copy validates (see the report).`);
  for (const note of r.notes) lines.push(`  note: ${note}`);
  lines.push(reportFile ? `Report: ${reportFile}` : 'Add --report FILE to keep the full redaction report (paths and fingerprints, never values).');
  return lines.join('\n');
}

function summaryText(file: string, s: ImportSummary): string {
  const creator = s.creator ? `${s.creator.name} ${s.creator.version}`.trim() : 'unknown exporter';
  const lines = [`${file}: valid HAR ${s.version ?? '(no version)'} from ${creator}${s.browser ? ` (${s.browser.name} ${s.browser.version})` : ''}: ${count(s.entries, 'entry', 'entries')}, ${count(s.pages, 'page')}, ${count(s.bytes, 'byte')}${s.bom ? ', with a UTF-8 byte-order mark' : ''}.`];
  if (s.repairCount > 0) {
    lines.push(`${count(s.repairCount, 'field')} HAR 1.2 requires ${s.repairCount === 1 ? 'is' : 'are'} missing or off (a sanitised copy fills them):`);
    for (const r of s.repairs.slice(0, 10)) lines.push(`  ${r}`);
    if (s.repairCount > 10) lines.push(`  … and ${s.repairCount - 10} more`);
  }
  return lines.join('\n');
}

function refLine(r: HarRequestRef): string {
  const status = r.status > 0 ? String(r.status) : 'ERR';
  return `  #${r.index} ${status.padEnd(3)} ${r.method} ${r.url} · ${Math.round(r.timeMs)} ms${r.error ? ` · ${r.error}` : ''}`;
}

function analysisText(file: string, a: HarAnalysis, titles: Record<string, { en: string; de: string }>, lang: 'en' | 'de'): string {
  const lines = [`${file}: ${a.entries} requests over ${(a.durationMs / 1000).toFixed(1)} s${a.startedAt ? ` from ${a.startedAt}` : ''}; ${a.failedCount} failed.`];
  if (a.findingCodes.length) {
    lines.push('', 'Findings:');
    for (const code of a.findingCodes) lines.push(`  ${code}: ${titles[code]?.[lang] ?? ''}`);
  }
  if (a.moduleErrors.length) {
    lines.push('', 'XDR module errors:');
    for (const m of a.moduleErrors.slice(0, 20)) {
      lines.push(`  #${m.index} ${m.code ? `${m.code} ` : ''}${m.httpStatus ? `[${m.httpStatus}] ` : ''}"${m.excerpt}" (${m.url})`);
      if (m.candidates.length) lines.push(`      possible causes: ${m.candidates.join(', ')}`);
    }
  }
  if (a.regions.otherRegion.length) {
    lines.push('', `Calls to Cisco hosts of a region other than ${a.regions.expected?.toUpperCase()}:`);
    for (const h of a.regions.otherRegion) lines.push(`  ${h.host} (${h.region.toUpperCase()}, ${h.role}) × ${h.count}, first #${h.firstIndex}`);
  } else if (a.regions.seen.length > 1) {
    lines.push('', `Cisco hosts of several regions were called: ${a.regions.seen.map((r) => r.toUpperCase()).join(', ')} (give --region or --profile to flag the wrong ones).`);
  }
  if (a.failed.length) {
    lines.push('', `Failed requests${a.failedCount > 20 ? ` (first 20 of ${a.failedCount})` : ''}:`);
    for (const r of a.failed.slice(0, 20)) lines.push(refLine(r));
  }
  if (a.slowest.length) {
    lines.push('', 'Slowest requests:');
    for (const r of a.slowest) lines.push(refLine(r));
  }
  return lines.join('\n');
}

function writeOut(file: string, data: string, flag: string): void {
  try {
    writeFileAtomic(path.resolve(file), data);
  } catch (error) {
    throw new UsageError(`${flag}: cannot write "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export const harCommands: CliCommand[] = [
  command({
    name: 'har sanitize',
    usage: 'xet har sanitize IN.har -o OUT.har [--report R.json] [--profile NAME …] [--keyword K …] [--keep-bodies] [--json]',
    summary:
      'Write a sanitised copy of a HAR file: credentials, cookies, tokens, secret parameters and JSON fields become keyed placeholders; HTML/JS/CSS bodies are dropped unless --keep-bodies. --profile also scrubs that profile’s stored secrets; --keyword scrubs words such as internal host names.',
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
      if (!output) throw new UsageError('har sanitize: -o OUT.har is required (the input is never changed in place)', 'output');
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
      return print(ctx, { output: path.resolve(output), report: result.report }, reportText(result.report, input!, output, reportFile));
    },
  }),
  command({
    name: 'har validate',
    usage: 'xet har validate IN.har [--json]',
    summary: 'Check that a file is a HAR 1.2 capture; a broken file is named with its entry, JSON path and byte offset (exit 2).',
    positionals: { min: 1, max: 1, names: 'IN.har' },
    options: {},
    async run(ctx, _values, [input]) {
      const summary = await hostRequest(ctx, 'har.validateFile', { file: input!, onProgress: progress(ctx) });
      return print(ctx, { valid: true, ...summary }, summaryText(input!, summary));
    },
  }),
  command({
    name: 'har analyze',
    usage: 'xet har analyze IN.har [--profile NAME | --region nam|eu|apjc] [--svg FILE] [--lang en|de] [--json]',
    summary:
      'Failed requests, XDR module errors and E#### codes with the findings they point to, calls to another region’s Cisco hosts, the slowest requests; --svg writes the waterfall picture. Exit 1 when a finding appears.',
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
