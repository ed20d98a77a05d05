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
  'logs.list',
  'logs.importDialog',
  'logs.importList',
  'logs.importRemove',
] as const;
export type CommandName = (typeof commandNames)[number];

export const eventNames = ['settings.changed', 'profiles.changed', 'vault.changed', 'checks.progress', 'checks.finished', 'har.progress', 'har.changed', 'archive.progress', 'logs.progress'] as const;
export type EventName = (typeof eventNames)[number];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && (commandNames as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}
