import { xet } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';

/** `--lang` and the settings language choose the CLI's texts and its error messages, from the one catalogue. */
describe('xet --lang', () => {
  it('shows a core refusal in German with --lang de, in English by default, and the key in --json', async () => {
    const dir = tempDir();
    const de = await xet(['--data-dir', dir, '--lang', 'de', 'profile', 'show', 'nirgendwo']);
    expect(de.code).toBe(2);
    expect(de.stderr).toBe('xet: Kein Profil namens „nirgendwo“\n');
    const en = await xet(['--data-dir', dir, 'profile', 'show', 'nirgendwo', '--json']);
    expect(en.stderr).toBe('xet: No profile named "nirgendwo"\n');
    expect(JSON.parse(en.stdout)).toMatchObject({ error: { code: 'NOT_FOUND', key: 'errors.profiles.noSuchName', params: { name: 'nirgendwo' } } });
  });

  it('follows the settings language when --lang is not given, for texts and errors alike', async () => {
    const dir = tempDir();
    expect((await xet(['--data-dir', dir, 'settings', 'set', '--language', 'de'])).code).toBe(0);
    expect((await xet(['--data-dir', dir, 'runs', 'list'])).stdout).toBe('Noch keine Läufe. Starten Sie: xet check PROFIL\n');
    expect((await xet(['--data-dir', dir, '--lang', 'en', 'runs', 'list'])).stdout).toBe('No runs yet. Run: xet check PROFILE\n');
    expect((await xet(['--data-dir', dir, 'runs', 'show', 'abcdef12'])).stderr).toMatch(/^xet: .+\n$/);
  });

  it('translates the sentence around a schema refusal, and names the flag instead when one set the field', async () => {
    const dir = tempDir();
    const r = await xet(['--data-dir', dir, '--lang', 'de', 'profile', 'add', '--name', 'x', '--kind', 'esa', '--host', 'bad host', '--region', 'eu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^xet: --host: Not a valid DNS name/);
    expect((await xet(['--data-dir', dir, '--lang', 'fr', 'info'])).stderr).toMatch(/^xet: --lang: Invalid option/);
  });
});
