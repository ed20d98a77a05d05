import { createCore, type Core } from '../../electron/core/core.js';
import { MemoryLogger } from '../../electron/core/logging/logger.js';
import { tempDir } from './temp.js';

/** A real core (SQLite file, migrations, dispatcher) in a temp data folder. */
export function testCore(overrides: Partial<Parameters<typeof createCore>[0]> = {}): Core & { logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const core = createCore({
    dataDir: tempDir(),
    transport: 'web',
    secretBackend: { kind: 'passphrase', detail: 'test vault', available: false },
    defaultSettings: { language: 'en', theme: 'system' },
    logger,
    ...overrides,
  });
  return Object.assign(core, { logger });
}
