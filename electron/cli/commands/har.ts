import path from 'node:path';
import type { RegionId } from '../../contract/profiles.js';
import { writeFileAtomic } from '../../core/fs/atomic-write.js';
import type { HarAnalysis, HarRequestRef } from '../../core/har/har-analyze.js';
import { validateHar, type ImportSummary } from '../../core/har/har-import.js';
import type { RedactionReport } from '../../core/har/har-report.js';
import { sanitizeHarFile } from '../../core/har/har-sanitize-file.js';
import type * as Triage from '../../core/checks/triage.js';
import type * as Runbook from '../../core/knowledge/runbook.js';
import type { Knowledge } from '../../core/knowledge/runbook.js';
import { Redactor } from '../../core/logging/redactor.js';
import { defaultResourcesDir } from '../../core/paths.js';
import { CommandFailed, print, viaContract, type CliCommand, type Context, type Values } from '../command.js';
import { EXIT, UsageError } from '../io.js';
// Profiles, the analyser and the runbook (with the contract's schemas) are imported where they are
// used, so `har sanitize` without --profile loads only the sanitiser (see commandModules in program.ts).
const profiles = () => import('./profiles.js');
import { count } from '../../core/english.js';

function list(v: Values[string]): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

/** Every secret stored for the named profiles (the vault must be open: LOCKED makes the runner ask). */
async function profileSecrets(ctx: Context, names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    const profile = await (await profiles()).findProfile(ctx, name);
    out.push(...(await viaContract(() => ctx.core().secrets.revealAll(profile.id))));
  }
  return out;
}

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

function analysisText(file: string, a: HarAnalysis, knowledge: Knowledge, lang: 'en' | 'de', { fill, genericParams }: typeof Runbook & typeof Triage): string {
  const lines = [`${file}: ${a.entries} requests over ${(a.durationMs / 1000).toFixed(1)} s${a.startedAt ? ` from ${a.startedAt}` : ''}; ${a.failedCount} failed.`];
  if (a.findingCodes.length) {
    lines.push('', 'Findings:');
    for (const code of a.findingCodes) {
      const source = a.moduleErrors.find((m) => m.raises.includes(code));
      const params = { ...genericParams(knowledge), detail: source?.detail ?? source?.excerpt ?? '', httpStatus: source?.httpStatus ?? '', module: 'Secure Email' };
      lines.push(`  ${code}: ${fill(knowledge.findings.get(code)?.title[lang] ?? '', params, lang)}`);
    }
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
  {
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
    async run(ctx, values, [input]) {
      const output = values.output as string | undefined;
      if (!output) throw new UsageError('har sanitize: -o OUT.har is required (the input is never changed in place)', 'output');
      const keywords = list(values.keyword).map((k) => k.trim());
      const short = keywords.find((k) => k.length < 4);
      if (short !== undefined) throw new UsageError(`--keyword "${short}": keywords need at least 4 characters (shorter ones would scrub ordinary text)`, 'keyword');
      const knownSecrets = await profileSecrets(ctx, list(values.profile));
      const onProgress = progress(ctx);
      // Ctrl-C or a TERM stops the pass cleanly: sanitizeHarFile removes its temp file beside OUT
      // (the default action of the signal would end the process with the temp file left there).
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const result = await viaContract(() =>
        sanitizeHarFile(input!, output, { knownSecrets, keywords, keepBodies: values['keep-bodies'] === true, signal: controller.signal, ...(onProgress ? { onProgress } : {}) }),
      )
        .catch((error: unknown) => {
          if (controller.signal.aborted) throw new CommandFailed({ code: 'CONFLICT', message: `Interrupted; nothing was written to ${output}.` });
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENOSPC' || code === 'EROFS') throw new UsageError(`-o: cannot write "${output}": ${code}`, 'output');
          throw error;
        })
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        });
      const reportFile = values.report as string | undefined;
      if (reportFile) writeOut(reportFile, `${JSON.stringify(result.report, null, 2)}\n`, '--report');
      return print(ctx, { output: path.resolve(output), report: result.report }, reportText(result.report, input!, output, reportFile));
    },
  },
  {
    name: 'har validate',
    usage: 'xet har validate IN.har [--json]',
    summary: 'Check that a file is a HAR 1.2 capture; a broken file is named with its entry, JSON path and byte offset (exit 2).',
    positionals: { min: 1, max: 1, names: 'IN.har' },
    options: {},
    async run(ctx, _values, [input]) {
      const onProgress = progress(ctx);
      const summary = await viaContract(() => validateHar(input!, onProgress ? { onProgress } : {}));
      return print(ctx, { valid: true, ...summary }, summaryText(input!, summary));
    },
  },
  {
    name: 'har analyze',
    usage: 'xet har analyze IN.har [--profile NAME | --region nam|eu|apjc] [--svg FILE] [--lang en|de] [--json]',
    summary:
      'Failed requests, XDR module errors and E#### codes with the findings they point to, calls to another region’s Cisco hosts, the slowest requests; --svg writes the waterfall picture. Exit 1 when a finding appears.',
    positionals: { min: 1, max: 1, names: 'IN.har' },
    options: { profile: { type: 'string' }, region: { type: 'string' }, svg: { type: 'string' }, lang: { type: 'string' } },
    async run(ctx, values, [input]) {
      const lang = (values.lang as string | undefined) ?? 'en';
      if (lang !== 'en' && lang !== 'de') throw new UsageError('--lang must be en or de', 'lang');
      const [{ regionIds }, { analyzeHarFile }, runbook, triage] = await Promise.all([
        import('../../contract/profiles.js'),
        import('../../core/har/har-analyze.js'),
        import('../../core/knowledge/runbook.js'),
        import('../../core/checks/triage.js'),
      ]);
      let region = values.region as string | undefined;
      if (region !== undefined && !(regionIds as readonly string[]).includes(region)) throw new UsageError(`--region must be one of ${regionIds.join(', ')}`, 'region');
      if (region !== undefined && values.profile !== undefined) throw new UsageError('give --profile or --region, not both', 'region');
      const redactor = new Redactor();
      if (typeof values.profile === 'string') {
        const profile = await (await profiles()).findProfile(ctx, values.profile);
        region = profile.region;
        const core = ctx.core();
        // Quotes from the capture are scrubbed of the profile's secrets when the vault is open; the
        // analysis does not need them, so a locked vault is no reason to stop.
        if (core.vault.status().state === 'unlocked') for (const secret of core.secrets.revealAll(profile.id)) redactor.addSecret(secret);
      }
      const knowledge = runbook.loadKnowledge(defaultResourcesDir());
      const { analysis, svg } = await viaContract(() => analyzeHarFile(input!, { knowledge, region: (region as RegionId | undefined) ?? null, scrub: (t) => redactor.redact(t) }));
      const svgFile = values.svg as string | undefined;
      if (svgFile) writeOut(svgFile, svg, '--svg');
      print(ctx, analysis, analysisText(input!, analysis, knowledge, lang, { ...runbook, ...triage }));
      return analysis.findingCodes.length > 0 ? EXIT.FINDINGS : EXIT.OK;
    },
  },
];
