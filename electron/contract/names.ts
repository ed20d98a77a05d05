/**
 * Command and event names without any schema code, so the renderer and the sandboxed
 * preload can list them without bundling the schema library. `commands.ts` and
 * `events.ts` are checked against these lists at compile time.
 */
export const commandNames = [
  'app.info',
  'settings.get',
  'settings.set',
  'profiles.list',
  'profiles.get',
  'profiles.create',
  'profiles.update',
  'profiles.duplicate',
  'profiles.delete',
  'profiles.export',
  'profiles.import',
  'profiles.exportDialog',
  'profiles.importDialog',
  'profiles.fetchCertificate',
  'secrets.status',
  'secrets.set',
  'secrets.clear',
  'vault.status',
  'vault.unlock',
  'vault.setPassphrase',
  'vault.lock',
  'checks.runbook',
  'checks.start',
  'checks.cancel',
  'checks.answer',
  'checks.triage',
  'runs.list',
  'runs.get',
  'runs.diff',
  'runs.delete',
  'har.importDialog',
  'har.list',
  'har.review',
  'har.saveDialog',
  'har.remove',
  'archive.create',
  'archive.cancel',
  'archive.list',
  'archive.saveDialog',
  'archive.showInFolder',
  'archive.remove',
  'archive.generatePassphrase',
  'archive.upload',
  'archive.uploadCancel',
  'archive.uploads',
  'cases.tokenStatus',
  'cases.tokenClear',
  // Overview of every appliance and batch runs (issue 18).
  'overview.list',
  'checks.startAll',
  'checks.cancelAll',
  'checks.batchStatus',
  'runs.latest',
  // The HAR inspector (issue 18).
  'har.entries',
  'har.entry',
  // Appliance logs for the support archive (issue 14).
  'logs.list',
  'logs.importDialog',
  'logs.importList',
  'logs.importRemove',
  // No dead ends: a finding raised elsewhere (a HAR file) explained on the Checks page (issue 18).
  'checks.explain',
] as const;
export type CommandName = (typeof commandNames)[number];

export const eventNames = ['settings.changed', 'profiles.changed', 'vault.changed', 'checks.progress', 'checks.finished', 'har.progress', 'har.changed', 'archive.progress', 'archive.uploadProgress', 'checks.batch', 'logs.progress'] as const;
export type EventName = (typeof eventNames)[number];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && (commandNames as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}
