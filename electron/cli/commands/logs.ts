import fs from 'node:fs';
import path from 'node:path';
import { MAX_LOG_HOURS, type LogsListResponse, type LogWindow } from '../../contract/appliance-logs.js';
import { openRegularFile } from '../../core/fs/regular-file.js';
import { call, type CliCommand, type ValuesOf } from '../command.js';
import { UsageError } from '../io.js';
import type { Language } from '../../contract/commands.js';
import { cliText } from '../text.js';
import { profileCommand } from './profiles.js';

export const logWindowOptions = {
  since: { type: 'string' },
  until: { type: 'string' },
  hours: { type: 'string' },
  'logs-run': { type: 'string' },
} as const;

/** `--since ISO [--until ISO]`, `--hours N` or `--run ID` → the contract's window (the core checks the rest). */
export function logWindow(values: ValuesOf<typeof logWindowOptions>): LogWindow {
  const { since, until, hours } = values;
  const run = values['logs-run'];
  if (hours !== undefined && since !== undefined) throw UsageError.of('cli.usage.sinceOrHours', undefined, 'hours');
  for (const [flag, v] of [['since', since], ['until', until]] as const) {
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw UsageError.of('cli.usage.isoTime', { flag: `--${flag}`, value: v }, flag);
  }
  if (hours !== undefined && (!/^\d{1,4}$/.test(hours) || Number(hours) < 1 || Number(hours) > MAX_LOG_HOURS)) throw UsageError.of('cli.usage.hours', { value: hours, max: MAX_LOG_HOURS }, 'hours');
  return { ...(since ? { since } : {}), ...(until ? { until } : {}), ...(hours ? { hours: Number(hours) } : {}), ...(run ? { runId: run } : {}) };
}

function listText(r: LogsListResponse, lang: Language): string {
  const lines = [cliText(lang, 'cli.logs.window', { from: r.window.from, to: r.window.to })];
  if (r.notice) lines.push(lang === 'de' && r.notice.messageDe ? r.notice.messageDe : r.notice.message);
  for (const s of r.subscriptions) {
    const group = s.group ? cliText(lang, 'cli.logs.defaultGroup', { group: s.group, matchedBy: String(s.matchedBy) }) : '';
    lines.push(
      `${s.isDefault ? '[x]' : '[ ]'} ${s.name}  ${s.type || cliText(lang, 'cli.logs.noType')}  ${s.retrieval ?? ''}  ${cliText(lang, 'cli.logs.files', { count: s.files.length })}${group}${s.problem ? `  — ${s.problem}` : ''}`,
    );
    for (const f of s.files) lines.push(`      ${f.name}  ${cliText(lang, 'cli.logs.bytes', { bytes: f.size ?? '?' })}  ${f.modified ?? ''}`);
  }
  if (r.available) lines.push('', cliText(lang, 'cli.logs.takenHint'));
  return lines.join('\n');
}

export const logsCommands: CliCommand[] = [
  profileCommand({
    name: 'logs list',
    usage: 'xet logs list PROFILE [--since ISO [--until ISO] | --hours N | --logs-run ID] [--json]',
    summary: 'cli.help.logsList',
    options: { ...logWindowOptions },
    argument: 'PROFILE',
    run: (ctx, profile, values) => call(ctx, 'logs.list', { profileId: profile.id, window: logWindow(values) }, listText),
  }),
];

/** `archive create`'s appliance-logs flags. */
export const archiveLogOptions = {
  'appliance-logs': { type: 'string' },
  'log-file': { type: 'string', multiple: true },
  'keep-domains': { type: 'boolean' },
  ...logWindowOptions,
} as const;

/**
 * `--appliance-logs [default|SUB,…]`, the window flags and `--log-file FILE …` → the request's
 * appliance-logs part and the files on this disk (a host option). Null when none was asked for.
 */
export async function archiveLogsPart(values: ValuesOf<typeof archiveLogOptions>): Promise<{ request: Record<string, unknown>; logFiles: string[] } | null> {
  const raw = values['appliance-logs'];
  const files = (values['log-file'] ?? []).map((f) => path.resolve(f));
  if (raw === undefined && files.length === 0) return null;
  for (const f of files) {
    if (!fs.existsSync(f)) throw UsageError.of('cli.usage.cannotRead', { flag: '--log-file', file: f, problem: 'ENOENT' }, 'log-file');
    // A folder, device or pipe is said here, before anything is collected (a pipe would never end).
    const opened = await openRegularFile(f);
    if (!opened.ok) throw UsageError.of('cli.usage.cannotRead', { flag: '--log-file', file: f, problem: opened.key, ...opened.params }, 'log-file');
    await opened.handle.close();
  }
  const subscriptions = raw === undefined ? [] : raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = subscriptions.find((s) => !/^[\w.-]{1,128}$/.test(s));
  if (bad !== undefined) throw UsageError.of('cli.usage.applianceLogs', { value: bad }, 'appliance-logs');
  return { request: { subscriptions: raw === undefined ? [] : subscriptions.length ? subscriptions : ['default'], window: logWindow(values), keepDomains: values['keep-domains'] === true }, logFiles: files };
}
