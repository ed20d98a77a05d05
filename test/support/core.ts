import { createCore, type Core, type CoreOptions } from '../../electron/core/core.js';
import { MemoryLogger } from '../../electron/core/logging/logger.js';
import { tempDir } from './temp.js';

/** Cheap scrypt cost so tests that create vaults stay fast; the bench measures the real cost. */
export const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

/** A real core (SQLite file, migrations, dispatcher, vault) in a temp data folder. */
export function testCore(overrides: Partial<CoreOptions> = {}): Core & { logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const core = createCore({
    dataDir: tempDir(),
    transport: 'web',
    secretBackend: { kind: 'passphrase', detail: 'test vault', available: true },
    defaultSettings: { language: 'en', theme: 'system', proxy: null },
    logger,
    scryptCost: TEST_SCRYPT,
    ...overrides,
  });
  return Object.assign(core, { logger });
}

export const sampleProfile = {
  name: 'esa-lab',
  kind: 'esa',
  host: 'esa1.example.com',
  region: 'eu',
  username: 'admin',
} as const;
