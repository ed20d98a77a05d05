import { deepArrayText, deepObjectText } from '../../support/contract-fuzz.js';
import { testCore } from '../../support/core.js';

/** Cases the contract fuzzing found, kept as they were found. */
describe('fuzz regressions', () => {
  it('profiles.import: a schemaVersion nested 10 000 deep is refused by name, not an INTERNAL stack overflow', async () => {
    const core = testCore();
    try {
      for (const deep of [deepObjectText('a'), deepArrayText()]) {
        const r = await core.dispatcher.dispatch('profiles.import', { content: `{"format":"xet-profiles","schemaVersion":${deep}}` });
        expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'schemaVersion' } });
        if (!r.ok) expect(r.error.message).toMatch(/^import file: schemaVersion \((an object|a list)\) is not supported/);
      }
      const long = await core.dispatcher.dispatch('profiles.import', { content: JSON.stringify({ format: 'xet-profiles', schemaVersion: 'v'.repeat(2 * 1024 * 1024) }) });
      expect(long).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'schemaVersion' } });
      if (!long.ok) expect(long.error.message.length).toBeLessThan(200);
      expect(core.logger.lines.filter((l) => l.includes('command failed'))).toEqual([]);
    } finally {
      core.close();
    }
  });

  it('a refusal names a megabyte-long unknown or invalid key by its start instead of echoing it whole', async () => {
    const core = testCore();
    try {
      const key = `k${'x'.repeat(1024 * 1024)}`;
      const unknown = await core.dispatcher.dispatch('settings.set', { [key]: 1 });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: `${key.slice(0, 64)}…` } });
      // A record key too long for the record is in the path.
      const inPath = await core.dispatcher.dispatch('checks.start', { profileId: 'p', answers: { [key]: 'yes' } });
      expect(inPath).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: `answers.${key.slice(0, 64)}…` } });
      for (const r of [unknown, inPath]) if (!r.ok) expect(r.error.message.length).toBeLessThan(300);
    } finally {
      core.close();
    }
  });
});
