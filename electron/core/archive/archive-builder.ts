import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveProgress, Manifest, ManifestFile } from '../../contract/archive.js';
import { RunSummary, type Finding, type Run } from '../../contract/checks.js';
import type { Profile } from '../../contract/profiles.js';
import { genericParams } from '../checks/triage.js';
import { AppError } from '../errors.js';
import { HarAnalyzer } from '../har/har-analyze.js';
import type { RedactionReport } from '../har/har-report.js';
import { sanitizeHarTo } from '../har/har-sanitize-stream.js';
import { fillLocalized, type Knowledge } from '../knowledge/runbook.js';
import { ArchiveOutput, type OutputResult } from './archive-output.js';
import { xdrNames } from './xdr-names.js';
import { Identifiers } from './identifiers.js';
import { readRecentLogs } from './recent-logs.js';
import { renderReport, type ReportHar } from './report-html.js';
import { reportMap } from './report-map.js';
import { readmeText } from './readme-text.js';
import type { Recipient } from './recipient-cert.js';
import { ZipStream } from './zip-stream.js';
import type { CollectResult } from '../appliance-logs/log-collector.js';
import { logsSection, manifestLogs } from '../appliance-logs/log-report.js';

export interface HarSource {
  /** The raw capture (never added as is: it is sanitised on the way in). */
  path: string;
  keywords: string[];
  keepBodies: boolean;
  /** Secrets to scrub from this file besides the archive profile's (those of other profiles chosen for it). */
  knownSecrets?: string[];
}

export interface BuildInput {
  target: string;
  encryption: { mode: 'password'; password: string } | { mode: 'certificate'; recipients: Recipient[] };
  splitBytes?: number | undefined;
  profile: Profile;
  includeHostnames: boolean;
  caseNumber?: string | undefined;
  notes?: string | undefined;
  runs: Run[];
  hars: HarSource[];
  /** Every stored secret of the profile: scrubbed from the HARs and, as a last guard, from every other file. */
  knownSecrets: string[];
  logsDir: string | null;
  knowledge: Knowledge;
  tool: { name: string; version: string };
  now: Date;
  signal?: AbortSignal | undefined;
  onProgress?: (p: Omit<ArchiveProgress, 'taskId'>) => void;
  /** The pseudonym key, when parts were cleaned before the build (appliance logs); one per archive. */
  key?: Buffer;
  /** Appliance logs already cleaned with `key`, waiting in encrypted spools. */
  applianceLogs?: CollectResult | null;
}

export interface BuildResult extends OutputResult {
  manifest: Manifest;
}

function cancelled(): AppError {
  return AppError.of('CONFLICT', 'errors.archive.cancelled');
}

function harFindings(codes: string[], analyzer: HarAnalyzer, knowledge: Knowledge): Finding[] {
  const result = analyzer.result();
  const params = genericParams(knowledge);
  const out: Finding[] = [];
  for (const code of codes) {
    const def = knowledge.findings.get(code);
    if (!def) continue;
    const source = result.moduleErrors.find((m) => m.raises.includes(code));
    const p = { ...params, detail: source?.detail ?? source?.excerpt ?? '', httpStatus: String(source?.httpStatus ?? ''), module: 'Secure Email' };
    out.push({
      code,
      severity: def.severity,
      seedStep: def.seedStep,
      title: fillLocalized(def.title, p),
      cause: fillLocalized(def.cause, p),
      remediation: { en: def.remediation.en.map((s) => fillLocalized({ en: s, de: s }, p).en), de: def.remediation.de.map((s) => fillLocalized({ en: s, de: s }, p).de) },
      checks: ['har'],
    });
  }
  return out;
}

/**
 * Streams one support archive: sanitised HARs (with the archive's own pseudonym key), the chosen
 * runs, the redaction reports, recent logs, the HTML report, a README and the manifest, into an
 * encrypted container. Plaintext exists only in memory, chunk by chunk; on any error or cancel the
 * temp file is removed and the target is never written.
 */
export async function buildArchive(input: BuildInput): Promise<BuildResult> {
  const { signal } = input;
  const progress = input.onProgress ?? (() => undefined);
  const check = () => {
    if (signal?.aborted) throw cancelled();
  };
  check();
  progress({ stage: 'prepare', done: 0, total: 1, message: 'Preparing' });
  const ids = new Identifiers(input.profile, input.includeHostnames, [...input.knownSecrets, ...input.hars.flatMap((h) => h.knownSecrets ?? [])]);
  const far = xdrNames(input.runs);
  ids.pseudonymise(far.devices, 'sse-device');
  ids.pseudonymise(far.modules, 'xdr-module');
  const harSizes = await Promise.all(
    input.hars.map(async (h, i) => {
      try {
        return (await fs.stat(h.path)).size;
      } catch (error) {
        throw AppError.of('NOT_FOUND', 'errors.archive.harUnreadable', { number: i + 1, file: path.basename(h.path), code: (error as NodeJS.ErrnoException).code ?? 'error' }, `hars.${i}`);
      }
    }),
  );
  const output = await ArchiveOutput.open(input.target, {
    splitBytes: input.splitBytes ?? null,
    recipients: input.encryption.mode === 'certificate' ? input.encryption.recipients : null,
  });
  const zip = new ZipStream(output, { password: input.encryption.mode === 'password' ? input.encryption.password : null, modified: input.now, ...(signal ? { signal } : {}) });
  const kinds = new Map<string, ManifestFile['kind']>();
  const add = async (name: string, kind: ManifestFile['kind'], text: string) => {
    check();
    kinds.set(name, kind);
    // Callers pass text built from scrubbed values: scrubbing whole documents could hit JSON keys, HTML tags or hashes.
    await zip.addBuffer(name, text);
  };
  try {
    const key = input.key ?? randomBytes(32);
    const reportHars: ReportHar[] = [];
    const manifestHars: Manifest['hars'] = [];
    const redactions: { path: string; report: RedactionReport }[] = [];
    const harTotal = harSizes.reduce((a, b) => a + b, 0);
    let harDone = 0;
    for (const [i, har] of input.hars.entries()) {
      const name = `har/capture-${String(i + 1).padStart(2, '0')}.har`;
      const analyzer = new HarAnalyzer({ knowledge: input.knowledge, region: input.profile.region });
      let report: RedactionReport | null = null;
      kinds.set(name, 'har');
      await zip.addStream(
        name,
        async (write) => {
          const result = await sanitizeHarTo(har.path, write, {
            key,
            knownSecrets: [...input.knownSecrets, ...(har.knownSecrets ?? [])],
            keywords: [...har.keywords, ...ids.keywords()],
            keepBodies: har.keepBodies,
            // Small reads and writes: the zip buffers too, and smaller chunks measured both leaner and faster here
            // (256 MB capture, interleaved: 128/64 KiB against 512/256 KiB, password 6.3-6.5 s -> 5.9-6.0 s,
            // certificate 6.2-6.7 s -> 5.4-5.8 s, peak RSS 175-185 MB -> 136-168 MB; 2 MiB reads were slower).
            chunkBytes: 128 * 1024,
            flushBytes: 64 * 1024,
            ...(signal ? { signal } : {}),
            onEntry: (entry, index) => analyzer.entry(entry, index),
            onProgress: (done) => progress({ stage: 'sanitise', done: harDone + done, total: harTotal, message: `Sanitising HAR ${i + 1} of ${input.hars.length}` }),
          });
          report = result.report;
        },
        harSizes[i],
      );
      harDone += harSizes[i]!;
      const analysis = analyzer.result();
      const r = report as unknown as RedactionReport;
      const cleanReport: RedactionReport = ids.scrubDeep(r);
      redactions.push({ path: name, report: cleanReport });
      reportHars.push({ path: name, analysis: ids.scrubDeep(analysis), redaction: cleanReport, svg: analyzer.svg(`HAR timeline · ${name}`), findings: harFindings(analysis.findingCodes, analyzer, input.knowledge) });
      manifestHars.push({
        path: name,
        reportPath: 'redaction-report.json',
        entries: analysis.entries,
        inputBytes: harSizes[i]!,
        redactions: r.totals.redactions,
        bodiesDropped: r.totals.bodiesDropped,
        findingCodes: analysis.findingCodes,
      });
    }
    for (const log of input.applianceLogs?.files ?? []) {
      kinds.set(log.path, 'appliance-logs');
      progress({ stage: 'compress', done: 0, total: 1, message: `Adding ${log.path}` });
      await zip.addStream(log.path, async (write) => {
        for await (const chunk of log.spool.read()) {
          check();
          await write(chunk);
        }
      });
    }
    const runs = input.runs.map((run) => ids.run(run));
    progress({ stage: 'compress', done: 0, total: runs.length + 2, message: 'Adding results and logs' });
    for (const [i, run] of runs.entries()) await add(`results/run-${String(i + 1).padStart(2, '0')}.json`, 'results', `${JSON.stringify(run, null, 2)}\n`);
    if (redactions.length > 0) await add('redaction-report.json', 'redaction', `${JSON.stringify({ format: 'xet-redaction-reports', version: 1, files: redactions }, null, 2)}\n`);
    const logs = input.logsDir ? await readRecentLogs(input.logsDir) : [];
    for (const log of logs) await add(`logs/${log.name}`, 'logs', ids.scrubLog(log.text));
    progress({ stage: 'report', done: 0, total: 1, message: 'Writing the report' });
    const byRule: Record<string, number> = {};
    for (const { report } of redactions) for (const [rule, n] of Object.entries(report.byRule)) byRule[rule] = (byRule[rule] ?? 0) + n;
    const head: Pick<Manifest, 'tool' | 'createdAt' | 'caseNumber' | 'notes' | 'profile'> = {
      tool: input.tool,
      createdAt: input.now.toISOString(),
      caseNumber: input.caseNumber ?? null,
      notes: input.notes ? ids.scrub(input.notes) : null,
      profile: ids.profileSummary(),
    };
    const logsPart = input.applianceLogs ? manifestLogs(input.applianceLogs, zip.written, (t) => ids.scrub(t)) : undefined;
    const listed = () => zip.written.map((e) => ({ path: e.path, bytes: e.bytes }));
    const maps = runs.map((run, i) => reportMap(run, i + 1, input.knowledge, head.profile.host));
    await add('report.html', 'report', renderReport({ head, runs, hars: reportHars, files: listed(), maps, ...(logsPart ? { extraHtml: logsSection(logsPart) } : {}) }));
    await add('README.txt', 'readme', readmeText(input.encryption.mode, input.caseNumber ?? null));
    const manifest: Manifest = {
      format: 'xet-support-archive',
      schemaVersion: 1,
      ...head,
      encryption: { mode: input.encryption.mode, recipients: input.encryption.mode === 'certificate' ? input.encryption.recipients.map((r) => ({ subject: r.subject, sha256: r.sha256 })) : [] },
      runs: runs.map((r) => RunSummary.parse(r)),
      hars: manifestHars,
      redaction: {
        files: redactions.length,
        redactions: redactions.reduce((n, r) => n + r.report.totals.redactions, 0),
        bodiesDropped: redactions.reduce((n, r) => n + r.report.totals.bodiesDropped, 0),
        byRule,
      },
      files: zip.written.map((e) => ({ path: e.path, kind: kinds.get(e.path)!, bytes: e.bytes, sha256: e.sha256 })),
      ...(logsPart ? { applianceLogs: logsPart } : {}),
    };
    check();
    // Built from scrubbed parts only (its hashes must stay exactly as they are).
    await zip.addBuffer('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    await zip.close();
    check();
    progress({ stage: 'encrypt', done: 0, total: 1, message: 'Finishing: encryption, fsync, rename' });
    const result = await output.commit();
    progress({ stage: 'done', done: 1, total: 1, message: 'Done' });
    return { ...result, manifest };
  } catch (error) {
    await output.abort();
    if (signal?.aborted) throw cancelled();
    throw error;
  }
}
