import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dialogs } from '../../../electron/core/core.js';
import { testCore, sampleProfile } from '../../support/core.js';
import { entry, har, leaks, secretForms } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const CHROME = path.resolve(import.meta.dirname, '../../fixtures/har/chrome-export.har');
const PASSWORD = 'Appliance-Pa55word!';
const BEARER = 'bearer-9f8e7d6c5b4a39281706';
const COOKIE = 'sessid-0a1b2c3d4e5f60718293';
const KEYWORD = 'esa-internal.corp.example';

/** A capture holding the profile's stored password (in a JSON body), a bearer token, a cookie and an internal host name. */
function plantedHar(dir: string): string {
  const file = path.join(dir, 'planted.har');
  const entries = [
    entry({
      request: {
        method: 'POST',
        url: `https://${KEYWORD}/api/v2.0/config`,
        headers: [{ name: 'Authorization', value: `Bearer ${BEARER}` }],
        cookies: [{ name: 'sid', value: COOKIE }],
        postData: { mimeType: 'application/json', text: JSON.stringify({ note: `login with ${PASSWORD}` }) },
      },
      response: { status: 409, statusText: 'Conflict', content: { size: 110, mimeType: 'application/json', text: '{"errors":[{"code":"E4017","message":"There was a client error in the Secure Email module: E4017: Device is offline [409]"}]}' } },
    }),
    entry({ request: { headers: [{ name: 'Cookie', value: `sid=${COOKIE}` }] } }),
  ];
  fs.writeFileSync(file, JSON.stringify(har(entries)));
  return file;
}

function withDialogs(open: string[], save: string | null = null): Dialogs {
  return {
    chooseSaveFile: async () => save,
    chooseOpenFile: async () => open[0] ?? null,
    chooseOpenFiles: async () => open,
  };
}

describe('HAR service through the dispatcher', () => {
  it('imports chosen files into the data folder, reviews them and saves the sanitised copy atomically', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'out.har');
    const core = testCore({ dialogs: withDialogs([CHROME], target) });
    const imported = await core.dispatcher.dispatch('har.importDialog', {});
    expect(imported).toMatchObject({ ok: true, value: { cancelled: false, errors: [], files: [{ name: 'chrome-export.har', entries: 5 }] } });
    const id = (imported as { value: { files: { id: string }[] } }).value.files[0]!.id;
    expect(fs.readdirSync(path.join(core.paths.tmp, 'har'))).toEqual([id]);
    expect(await core.dispatcher.dispatch('har.list', {})).toMatchObject({ ok: true, value: { files: [{ id }] } });

    expect(await core.dispatcher.dispatch('har.saveDialog', { id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const review = await core.dispatcher.dispatch('har.review', { id });
    expect(review).toMatchObject({ ok: true, value: { report: { format: 'xet-har-redaction-report', input: { name: 'chrome-export.har' } }, analysis: { findingCodes: ['DEVICE_OFFLINE_IN_SSE'] } } });
    const value = (review as { value: { svg: string; findings: { code: string; title: string }[] } }).value;
    expect(value.svg.startsWith('<svg')).toBe(true);
    expect(value.findings[0]).toMatchObject({ code: 'DEVICE_OFFLINE_IN_SSE' });
    expect(value.findings[0]!.title).not.toMatch(/\{\w+\}/);

    expect(await core.dispatcher.dispatch('har.saveDialog', { id })).toEqual({ ok: true, value: { saved: true, path: target } });
    expect(fs.readdirSync(dir)).toEqual(['out.har']);
    JSON.parse(fs.readFileSync(target, 'utf8'));

    expect(await core.dispatcher.dispatch('har.remove', { id })).toEqual({ ok: true, value: { removed: true } });
    expect(fs.readdirSync(path.join(core.paths.tmp, 'har'))).toEqual([]);
    expect(await core.dispatcher.dispatch('har.review', { id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    core.close();
  });

  it('names a broken file with its entry, path and byte offset and keeps nothing of it', async () => {
    const dir = tempDir();
    const broken = path.join(dir, 'broken.har');
    fs.writeFileSync(broken, JSON.stringify(har([entry(), { ...entry(), request: { method: 'GET' } }])));
    const core = testCore({ dialogs: withDialogs([broken, CHROME]) });
    const result = await core.dispatcher.dispatch('har.importDialog', {});
    expect(result).toMatchObject({ ok: true, value: { files: [{ name: 'chrome-export.har' }], errors: [{ name: 'broken.har', code: 'INVALID_REQUEST' }] } });
    const message = (result as { value: { errors: { message: string }[] } }).value.errors[0]!.message;
    expect(message).toMatch(/^broken\.har: .*log\.entries\[1\]\.request.*entry 1.*byte \d+/);
    expect(fs.readdirSync(path.join(core.paths.tmp, 'har'))).toHaveLength(1);
    core.close();
    expect(fs.existsSync(path.join(core.paths.tmp, 'har'))).toBe(true);
    expect(fs.readdirSync(path.join(core.paths.tmp, 'har'))).toEqual([]);
  });

  it('removes copies a crashed process left behind a day ago, and only those', async () => {
    const dataDir = tempDir();
    const root = path.join(dataDir, 'tmp', 'har');
    for (const name of ['0000000000000001', '0000000000000002', 'not-ours']) {
      fs.mkdirSync(path.join(root, name), { recursive: true });
      fs.writeFileSync(path.join(root, name, 'x.har'), '{}');
    }
    const old = new Date(Date.now() - 25 * 3600 * 1000);
    fs.utimesSync(path.join(root, '0000000000000001'), old, old);
    fs.utimesSync(path.join(root, 'not-ours'), old, old);
    const core = testCore({ dataDir });
    expect(fs.readdirSync(root).sort()).toEqual(['0000000000000002', 'not-ours']);
    core.close();
  });

  it('refuses the dialogs outside the desktop app and short keywords at the boundary', async () => {
    const core = testCore();
    expect(await core.dispatcher.dispatch('har.importDialog', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await core.dispatcher.dispatch('har.review', { id: '0123456789abcdef', keywords: ['ab'] })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'keywords.0' } });
    expect(await core.dispatcher.dispatch('har.remove', { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'id' } });
    core.close();
  });

  it('scrubs the chosen profile’s stored secrets and keywords; no secret reaches any answer or event', async () => {
    const dir = tempDir();
    const planted = plantedHar(dir);
    const target = path.join(dir, 'saved.har');
    const core = testCore({ dialogs: withDialogs([planted], target), vaultPassphrase: 'vault passphrase for the test' });
    const seen: unknown[] = [];
    core.bus.subscribe((name, payload) => seen.push({ name, payload }));
    const profile = await core.dispatcher.dispatch('profiles.create', { profile: sampleProfile, password: PASSWORD });
    expect(profile.ok).toBe(true);
    const profileId = (profile as { value: { id: string } }).value.id;

    const imported = await core.dispatcher.dispatch('har.importDialog', {});
    seen.push(imported);
    const id = (imported as { value: { files: { id: string }[] } }).value.files[0]!.id;
    const review = await core.dispatcher.dispatch('har.review', { id, keywords: [KEYWORD], profileIds: [profileId] });
    seen.push(review);
    expect(review).toMatchObject({ ok: true, value: { report: { options: { knownSecrets: 1, keywords: 1 } }, analysis: { findingCodes: ['DEVICE_OFFLINE_IN_SSE'] } } });
    const report = (review as { value: { report: { byRule: Record<string, number> } } }).value.report;
    expect(report.byRule.secret).toBeGreaterThan(0);
    expect(report.byRule.keyword).toBeGreaterThan(0);
    seen.push(await core.dispatcher.dispatch('har.saveDialog', { id }));
    seen.push(await core.dispatcher.dispatch('har.list', {}));

    const secrets = [PASSWORD, BEARER, COOKIE, KEYWORD];
    expect(leaks(target, secrets)).toEqual([]);
    // The keyword is the user's own word: it comes back only as the file's remembered options, so the page can show it.
    const text = JSON.stringify(seen, (key, value: unknown) => (key === 'options' ? undefined : value));
    for (const s of secrets) for (const form of secretForms(s)) expect(text.includes(form), `${form} in an answer or event`).toBe(false);
    expect(JSON.stringify(seen).split(KEYWORD).length - 1).toBe(2);
    const progress = seen.filter((e): e is { name: string; payload: { stage: string; done: number; total: number; bytesPerSecond: number; message: string } } => (e as { name?: string }).name === 'har.progress');
    expect(new Set(progress.map((p) => p.payload.stage))).toEqual(new Set(['import', 'sanitize', 'analyze']));
    for (const p of progress) expect(p.payload).toMatchObject({ message: 'planted.har', bytesPerSecond: expect.any(Number) });
    expect(progress.filter((p) => p.payload.stage === 'sanitize').at(-1)!.payload.done).toBe(fs.statSync(planted).size);
    core.close();
  });
});

describe('HAR cleaning options are remembered per file', () => {
  type Review = { ok: true; value: { file: { options: { keywords: string[]; profileIds: string[]; keepBodies: boolean } }; report: { byRule: Record<string, number> } } };
  const review = async (core: ReturnType<typeof testCore>, request: Record<string, unknown>) => {
    const r = await core.dispatcher.dispatch('har.review', request);
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    return (r as Review).value;
  };

  it('a later review without options (a reloaded page, another window) keeps them; only naming one removes it', async () => {
    const dir = tempDir();
    const planted = plantedHar(dir);
    const target = path.join(dir, 'saved.har');
    const core = testCore({ dialogs: withDialogs([planted], target), vaultPassphrase: 'vault passphrase for the test' });
    const created = await core.dispatcher.dispatch('profiles.create', { profile: sampleProfile, password: PASSWORD });
    const profileId = (created as { value: { id: string } }).value.id;
    const imported = await core.dispatcher.dispatch('har.importDialog', {});
    const id = (imported as { value: { files: { id: string; options: unknown }[] } }).value.files[0]!.id;
    expect((imported as { value: { files: { options: unknown }[] } }).value.files[0]!.options).toEqual({ keywords: [], profileIds: [], keepBodies: false });

    const first = await review(core, { id, keywords: [KEYWORD], profileIds: [profileId] });
    expect(first.file.options).toEqual({ keywords: [KEYWORD], profileIds: [profileId], keepBodies: false });
    expect(await core.dispatcher.dispatch('har.list', {})).toMatchObject({ ok: true, value: { files: [{ id, options: { keywords: [KEYWORD], profileIds: [profileId] } }] } });

    // The page reloaded: it sends nothing but the id. The keyword and the profile's secrets still go.
    const again = await review(core, { id });
    expect(again.report.byRule.keyword).toBeGreaterThan(0);
    expect(again.report.byRule.secret).toBeGreaterThan(0);
    expect(await core.dispatcher.dispatch('har.saveDialog', { id })).toMatchObject({ ok: true, value: { saved: true } });
    expect(leaks(target, [PASSWORD, KEYWORD])).toEqual([]);

    // Another window adds a word (same word in other case is the same keyword); keepBodies changes only when sent.
    const more = await review(core, { id, keywords: ['second-word', KEYWORD.toUpperCase()] });
    expect(more.file.options).toEqual({ keywords: [KEYWORD, 'second-word'], profileIds: [profileId], keepBodies: false });
    expect((await review(core, { id, keepBodies: true })).file.options.keepBodies).toBe(true);
    expect((await review(core, { id })).file.options.keepBodies).toBe(true);

    // Removing by name is the only way to drop protection.
    const fewer = await review(core, { id, removeKeywords: [KEYWORD.toUpperCase()], removeProfileIds: [profileId], keepBodies: false });
    expect(fewer.file.options).toEqual({ keywords: ['second-word'], profileIds: [], keepBodies: false });
    expect(fewer.report.byRule.keyword).toBe(0);
    expect(fewer.report.byRule.secret).toBe(0);
    core.close();
  });

  it('a save refuses a copy made with less than the options chosen since (a review that could not finish)', async () => {
    const dir = tempDir();
    const planted = plantedHar(dir);
    const target = path.join(dir, 'saved.har');
    // The secret is stored by a process that had the passphrase; this one starts with the vault locked.
    const dataDir = tempDir();
    const first = testCore({ dataDir, vaultPassphrase: 'vault passphrase for the test' });
    const created = await first.dispatcher.dispatch('profiles.create', { profile: sampleProfile, password: PASSWORD });
    const profileId = (created as { value: { id: string } }).value.id;
    first.close();
    const core = testCore({ dataDir, dialogs: withDialogs([planted], target) });
    const imported = await core.dispatcher.dispatch('har.importDialog', {});
    const id = (imported as { value: { files: { id: string }[] } }).value.files[0]!.id;
    await review(core, { id });
    // The user ticks the profile, but its secrets are locked away: the choice is kept, the old copy is not good enough.
    expect(await core.dispatcher.dispatch('har.review', { id, profileIds: [profileId] })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await core.dispatcher.dispatch('har.list', {})).toMatchObject({ ok: true, value: { files: [{ options: { profileIds: [profileId] } }] } });
    expect(await core.dispatcher.dispatch('har.saveDialog', { id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(() => core.har.sanitizedFile(id)).toThrow(/changed since its last review/);
    expect(fs.existsSync(target)).toBe(false);
    // And the archive cleans it with what was chosen.
    expect(core.har.source(id).options.profileIds).toEqual([profileId]);
    // A deleted profile is named, and unticking it lets the file be cleaned again.
    expect(await core.dispatcher.dispatch('vault.unlock', { passphrase: 'vault passphrase for the test' })).toMatchObject({ ok: true });
    expect(await core.dispatcher.dispatch('profiles.delete', { id: profileId })).toMatchObject({ ok: true });
    expect(await core.dispatcher.dispatch('har.review', { id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'profileIds' } });
    expect((await review(core, { id, removeProfileIds: [profileId] })).file.options.profileIds).toEqual([]);
    expect(await core.dispatcher.dispatch('har.saveDialog', { id })).toMatchObject({ ok: true, value: { saved: true } });
    core.close();
  });
});

describe('HAR review edges', () => {
  it('a keyword in the file name is masked in the report and the picture; the page still sees the user’s own name', async () => {
    const dir = tempDir();
    const named = path.join(dir, `${KEYWORD}-capture.har`);
    fs.copyFileSync(plantedHar(dir), named);
    const core = testCore({ dialogs: withDialogs([named]) });
    const imported = await core.dispatcher.dispatch('har.importDialog', {});
    const id = (imported as { value: { files: { id: string }[] } }).value.files[0]!.id;
    const r = await core.dispatcher.dispatch('har.review', { id, keywords: [KEYWORD] });
    const value = (r as { value: { file: { name: string }; report: unknown; analysis: unknown; svg: string } }).value;
    expect(value.file.name).toBe(`${KEYWORD}-capture.har`);
    for (const form of secretForms(KEYWORD)) expect(JSON.stringify([value.report, value.analysis, value.svg]).includes(form), form).toBe(false);
    expect(value.svg).toMatch(/HAR timeline · \[REDACTED:keyword:[0-9a-f]{6}\]-capture\.har/);
    core.close();
  });

  it('a review that fails after its copy is written keeps the last good copy for saving', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'saved.har');
    const core = testCore({ dialogs: withDialogs([CHROME], target) });
    const imported = await core.dispatcher.dispatch('har.importDialog', {});
    const id = (imported as { value: { files: { id: string }[] } }).value.files[0]!.id;
    expect(await core.dispatcher.dispatch('har.review', { id })).toMatchObject({ ok: true });
    // The language lookup comes after the copy and its analysis: make it fail once.
    const get = core.settings.get.bind(core.settings);
    let fail = true;
    core.settings.get = () => {
      if (fail) {
        fail = false;
        throw new Error('settings unavailable');
      }
      return get();
    };
    expect(await core.dispatcher.dispatch('har.review', { id })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await core.dispatcher.dispatch('har.saveDialog', { id })).toEqual({ ok: true, value: { saved: true, path: target } });
    expect(fs.readdirSync(path.join(core.paths.tmp, 'har', id)).filter((n) => n.startsWith('review-'))).toHaveLength(1);
    core.close();
  });
});
