import { z } from 'zod';
import type { CommandName } from './names.js';

export const languages = ['en', 'de'] as const;
export const themes = ['system', 'light', 'dark'] as const;

export const Language = z.enum(languages);
export type Language = z.infer<typeof Language>;
export const Theme = z.enum(themes);
export type Theme = z.infer<typeof Theme>;

export const Settings = z.object({
  language: Language,
  theme: Theme,
});
export type Settings = z.infer<typeof Settings>;

export const SecretBackendInfo = z.object({
  /** `safe-storage`: the OS keychain through Electron; `passphrase`: the CLI / web host vault. */
  kind: z.enum(['safe-storage', 'passphrase']),
  /** Human-readable backend detail, e.g. `gnome_libsecret` or `scrypt + AES-256-GCM`. */
  detail: z.string(),
  available: z.boolean(),
});
export type SecretBackendInfo = z.infer<typeof SecretBackendInfo>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  transport: z.enum(['electron', 'web', 'cli']),
  platform: z.string(),
  secretBackend: SecretBackendInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

const Empty = z.object({}).strict();

interface CommandDef {
  request: z.ZodType;
  response: z.ZodType;
  /** One line for `--help`, docs and the README. */
  summary: string;
}

/** Every command the UI can call. Requests are validated at the boundary; responses are typed. */
export const commands = {
  'app.info': {
    request: Empty,
    response: AppInfo,
    summary: 'Version, data folder and the secret backend in use.',
  },
  'settings.get': {
    request: Empty,
    response: Settings,
    summary: 'The current language and theme.',
  },
  'settings.set': {
    request: Settings.partial().strict(),
    response: Settings,
    summary: 'Change language and/or theme; answers the settings now in force.',
  },
} as const satisfies { [N in CommandName]: CommandDef };

// Both directions: a name without a definition or a definition without a name fails to compile.
type _NoExtraCommands = keyof typeof commands extends CommandName ? true : never;
export const _commandsComplete: _NoExtraCommands = true;

export type Commands = typeof commands;
export type RequestOf<N extends CommandName> = z.input<Commands[N]['request']>;
export type ParsedRequestOf<N extends CommandName> = z.output<Commands[N]['request']>;
export type ResponseOf<N extends CommandName> = z.output<Commands[N]['response']>;
