import { createCore, type Core, type CoreOptions } from '../electron/core/core.js';

/**
 * A core as an in-process benchmark runs it: a passphrase vault (with a cheap scrypt cost: unlocking
 * is measured on its own, vault-unlock), English, no proxy environment; `extra` adds or overrides.
 */
export function benchCore(dataDir: string, extra: Partial<CoreOptions> = {}): Core {
  return createCore({
    dataDir,
    transport: 'cli',
    secretBackend: { kind: 'passphrase', detail: 'bench', available: true },
    defaultSettings: { language: 'en', theme: 'system', proxy: null },
    scryptCost: { N: 2 ** 10, r: 8, p: 1 },
    env: {},
    ...extra,
  });
}
