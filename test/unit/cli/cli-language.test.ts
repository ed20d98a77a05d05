import fs from 'node:fs';
import path from 'node:path';
import { xet } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';
import { ROOT } from '../../support/web-host-process.js';

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
    // The profile form's words for the same refusal, in German too.
    expect(r.stderr).toBe('xet: --host: Kein gültiger DNS-Name und keine gültige IPv4- oder IPv6-Adresse\n');
    for (const [flags, text] of [
      [['--https-port', '0'], '--https-port: Der Port muss eine ganze Zahl von 1 bis 65535 sein'],
      [['--region', 'xx'], '--region: Wählen Sie die Cisco-Cloud-Region der Appliance (NAM, EU oder APJC)'],
      [['--kind', 'wsa'], '--kind: Wählen Sie die Art: esa (lokale ESA), sma (Secure Email and Web Manager) oder ces (Cloud-CES)'],
      [['--pin-sha256', '12:34'], '--pin-sha256: Ein SHA-256-Fingerabdruck hat 64 Hexadezimalziffern (Doppelpunkte erlaubt)'],
    ] as const) {
      const flagged = await xet(['--data-dir', dir, '--lang', 'de', 'profile', 'add', '--name', 'x', '--kind', 'esa', '--host', 'h.example', '--region', 'eu', ...flags]);
      expect(flagged.code).toBe(2);
      expect(flagged.stderr).toBe(`xet: ${text}\n`);
    }
    expect((await xet(['--data-dir', dir, '--lang', 'fr', 'info'])).stderr).toMatch(/^xet: --lang: Invalid option/);
  });

  it('shows usage errors in German with --lang de, in English without, for every kind of command', async () => {
    const dir = tempDir();
    const cases: { args: string[]; en: string; de: string }[] = [
      { args: ['archive', 'upload', 'a.zip', '--token-stdin'], en: 'archive upload: --case SR is required (the TAC case / service request number)', de: 'archive upload: --case SR ist erforderlich (die Nummer des TAC-Falls / Service Requests)' },
      { args: ['check', '--concurrency', '0', '--all'], en: '--concurrency must be a whole number from 1 to 16', de: '--concurrency muss eine ganze Zahl von 1 bis 16 sein' },
      { args: ['frobnicate', 'now'], en: 'unknown command "frobnicate now" (see xet --help)', de: 'Unbekannter Befehl „frobnicate now“ (siehe xet --help)' },
      { args: ['profile', 'show'], en: 'profile show: missing NAME (usage: xet profile show NAME [--json])', de: 'profile show: NAME fehlt (Aufruf: xet profile show NAME [--json])' },
      { args: ['profile', 'list', '--colour'], en: "profile list: Unknown option '--colour' (xet profile list --help lists the options)", de: 'profile list: Unbekannte Option „--colour“ (xet profile list --help zeigt die Optionen)' },
      { args: ['har', 'sanitize', 'in.har', '-o'], en: "har sanitize: option '-o' needs a value", de: 'har sanitize: Die Option „-o“ braucht einen Wert' },
      { args: ['settings', 'set'], en: 'settings set: give --language, --theme and/or --proxy', de: 'settings set: Geben Sie --language, --theme und/oder --proxy an' },
    ];
    for (const { args, en, de } of cases) {
      const german = await xet(['--data-dir', dir, '--lang', 'de', ...args]);
      expect(german, args.join(' ')).toMatchObject({ code: 2, stderr: `xet: ${de}\n` });
      const english = await xet(['--data-dir', dir, ...args]);
      expect(english, args.join(' ')).toMatchObject({ code: 2, stderr: `xet: ${en}\n` });
    }
    // --json keeps the English message and adds the key and parameters.
    const json = await xet(['--data-dir', dir, '--lang', 'de', '--json', 'check', '--all', '--concurrency', '0']);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'INVALID_REQUEST', message: '--concurrency must be a whole number from 1 to 16', field: 'concurrency', key: 'cli.usage.wholeNumber', params: { flag: '--concurrency', min: 1, max: 16 } },
    });
  });

  it('follows the settings language for a usage error found before the command opens the data folder', async () => {
    const dir = tempDir();
    expect((await xet(['--data-dir', dir, 'settings', 'set', '--language', 'de'])).code).toBe(0);
    expect((await xet(['--data-dir', dir, 'frobnicate'])).stderr).toBe('xet: Unbekannter Befehl „frobnicate“ (siehe xet --help)\n');
    expect((await xet(['--data-dir', dir, 'archive', 'uploads', '--limit', '0'])).stderr).toBe('xet: --limit muss eine ganze Zahl von 1 bis 500 sein\n');
    // A data folder that does not exist is not created to learn a language.
    const none = path.join(tempDir(), 'none');
    expect((await xet(['--data-dir', none, 'frobnicate'], { LANG: 'de_DE.UTF-8' })).stderr).toBe('xet: Unbekannter Befehl „frobnicate“ (siehe xet --help)\n');
    expect(fs.existsSync(none)).toBe(false);
  });

  it('asks its questions in the CLI language and takes a German "j" for yes', async () => {
    const dir = tempDir();
    const add = ['--data-dir', dir, 'profile', 'add', '--name', 'lab', '--kind', 'esa', '--host', 'esa.example.com', '--region', 'eu'];
    expect((await xet(add)).code).toBe(0);
    const asked: string[] = [];
    const prompt = async (q: string) => (asked.push(q), 'j');
    const rm = await xet(['--data-dir', dir, '--lang', 'de', 'profile', 'rm', 'lab'], {}, '', { prompt });
    expect(asked).toEqual(['Profil „lab“ löschen? [j/N] ']);
    expect(rm).toMatchObject({ code: 0, stdout: 'Profil „lab“ gelöscht (0 Geheimnisse).\n' });
    // Without a terminal, nothing is deleted unasked.
    expect((await xet(add)).code).toBe(0);
    expect(await xet(['--data-dir', dir, '--lang', 'de', 'profile', 'rm', 'lab'])).toMatchObject({ code: 2, stderr: 'xet: profile rm: Ohne --yes wird außerhalb eines Terminals nichts ausgeführt\n' });
  });
});

describe('xet --help', () => {
  it('is in the language of --lang, else of the locale, and never opens the data folder to learn it', async () => {
    const dir = path.join(tempDir(), 'never');
    const de = await xet(['--data-dir', dir, '--lang', 'de', '--help']);
    expect(de.code).toBe(0);
    for (const text of ['Aufruf: xet [--data-dir DIR]', 'Befehle:', 'Legt ein Appliance-Profil an; --password-stdin speichert sein API-Passwort im Tresor.', 'Globale Optionen:', 'Exit-Codes: 0 Erfolg']) expect(de.stdout).toContain(text);
    expect(de.stdout).not.toMatch(/Add an appliance profile|Exit codes/);
    expect((await xet(['--data-dir', dir, 'profile', 'add', '--help'], { LANG: 'de_DE.UTF-8' })).stdout).toMatch(/^Aufruf: xet profile add --name N .*\n\nLegt ein Appliance-Profil an; /);
    const en = await xet(['--data-dir', dir, 'profile', 'add', '--help'], { LANG: 'en_GB.UTF-8' });
    expect(en.stdout).toMatch(/^Usage: xet profile add --name N .*\n\nAdd an appliance profile; --password-stdin stores its API password in the vault\.\n$/);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('UsageError', () => {
  const CLI = path.join(ROOT, 'electron', 'cli');
  const sources = fs.readdirSync(CLI, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => ({ file: f, text: fs.readFileSync(path.join(CLI, f), 'utf8') }));

  it('is only made from a catalogue key: no English text is passed in anywhere in the CLI', () => {
    expect(sources.length).toBeGreaterThan(10);
    // The one constructor call is UsageError.of's own (io.ts); it is private, so tsc refuses any other.
    expect(sources.flatMap(({ file, text }) => [...text.matchAll(/new UsageError\(/g)].map(() => file))).toEqual(['io.ts']);
    const made = sources.flatMap(({ file, text }) => [...text.matchAll(/UsageError\.of\(\s*([^,)]*)/g)].map((m) => `${file}: ${m[1]}`));
    expect(made.length).toBeGreaterThan(50);
    // A literal key, so the i18n completeness test finds it in English and German.
    expect(made.filter((m) => !/: 'cli\.usage\.[A-Za-z]+'$/.test(m))).toEqual([]);
  });
});

