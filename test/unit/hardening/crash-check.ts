import { expect } from 'vitest';
import type { Core } from '../../../electron/core/core.js';
import { sampleProfile, testCore, TEST_SCRYPT } from '../../support/core.js';
import { MANUAL_ANSWERS, THEMES, VAULT } from '../../fixtures/hardening/constants.js';

/**
 * Opens a data folder again with the real core after a crash, as the next start of the app does,
 * and fails unless SQLite finds the file sound: integrity_check ok, no foreign key violations.
 */
export function openAfterCrash(dataDir: string, clock?: () => Date): Core {
  const core = testCore({ dataDir, vaultPassphrase: VAULT, scryptCost: TEST_SCRYPT, ...(clock ? { clock } : {}) });
  try {
    expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(core.db.pragma('foreign_key_check')).toEqual([]);
    return core;
  } catch (error) {
    core.close();
    throw error;
  }
}

/** A data folder with the vault (cheap test scrypt cost) and one profile "lab" with its password. */
export async function labFolder(dataDir: string): Promise<void> {
  const core = testCore({ dataDir, vaultPassphrase: VAULT, scryptCost: TEST_SCRYPT });
  try {
    const created = await core.dispatcher.dispatch('profiles.create', { profile: { ...sampleProfile, name: 'lab' }, password: 'lab-password' });
    expect(created.ok).toBe(true);
  } finally {
    core.close();
  }
}

/** The argument of fixtures/hardening/writer-child.mjs. */
export function childConfig(dataDir: string, mode: 'profiles' | 'runs' | 'archives', extra: { har?: string; password?: string } = {}): string {
  return JSON.stringify({ dataDir, mode, vault: VAULT, answers: MANUAL_ANSWERS, themes: THEMES, ...extra });
}
