import type { CliCommand } from './command.js';

/**
 * Where each command's implementation lives, loaded only when one of its commands runs: `xet
 * --help` and `xet har sanitize` never compile the check, archive or upload code (nor what it
 * imports: undici, node-forge, zip). The manifest (./manifest.ts) names the module of each command.
 */
export const commandModules = {
  settings: async () => (await import('./commands/settings.js')).settingsCommands,
  profiles: async () => (await import('./commands/profiles.js')).profileCommands,
  vault: async () => (await import('./commands/vault.js')).vaultCommands,
  checks: async () => {
    const [{ checkCommands }, { withCheckAll }] = await Promise.all([import('./commands/checks.js'), import('./commands/check-all.js')]);
    return withCheckAll(checkCommands);
  },
  har: async () => (await import('./commands/har.js')).harCommands,
  archive: async () => (await import('./commands/archive.js')).archiveCommands,
  'archive-upload': async () => (await import('./commands/archive-upload.js')).archiveUploadCommands,
  logs: async () => (await import('./commands/logs.js')).logsCommands,
} satisfies Record<string, () => Promise<CliCommand[]>>;

export type CommandModule = keyof typeof commandModules;
