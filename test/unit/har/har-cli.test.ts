import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { xet } from '../../support/cli.js';
import { harSchemaErrors, leaks } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const CHROME = path.resolve(import.meta.dirname, '../../fixtures/har/chrome-export.har');
const PASS = 'har cli vault passphrase';

describe('xet har', () => {
  it('sanitize writes the copy and the report; the report holds fingerprints, not values', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.har');
    const report = path.join(dir, 'r.json');
    const r = await xet(['har', 'sanitize', CHROME, '-o', out, '--report', report, '--keyword', 'esa01.corp.example'], { XET_DATA_DIR: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Sanitised .*chrome-export\.har → .*out\.har: 5 entries, \d+ redactions in 5 entries, 1 body dropped\./);
    expect(leaks(out, ['ChromeSess1234567', 'esa01.corp.example', 'ChromeApiKey0099'])).toEqual([]);
    expect(harSchemaErrors(JSON.parse(fs.readFileSync(out, 'utf8')))).toEqual([]);
    const rep = JSON.parse(fs.readFileSync(report, 'utf8')) as { format: string; byRule: Record<string, number> };
    expect(rep.format).toBe('xet-har-redaction-report');
    expect(rep.byRule.keyword).toBeGreaterThan(0);
    expect(leaks(report, ['ChromeSess1234567', 'ChromeApiKey0099'])).toEqual([]);
  });

  it('sanitize scrubs the stored secrets of --profile (vault opened by XET_VAULT_PASSPHRASE); locked without a terminal → exit 2', async () => {
    const env = { XET_DATA_DIR: tempDir(), XET_VAULT_PASSPHRASE: PASS };
    expect((await xet(['profile', 'add', '--name', 'lab', '--kind', 'esa', '--host', 'esa01.corp.example', '--region', 'eu', '--username', 'admin', '--password-stdin'], env, 'ChromeClientSecret42\n')).code).toBe(0);
    const dir = tempDir();
    const input = path.join(dir, 'in.har');
    const har = JSON.parse(fs.readFileSync(CHROME, 'utf8')) as { log: { entries: { response: { statusText: string } }[] } };
    har.log.entries[0]!.response.statusText = 'echo ChromeClientSecret42';
    fs.writeFileSync(input, JSON.stringify(har));
    const out = path.join(dir, 'out.har');
    expect((await xet(['har', 'sanitize', input, '-o', out, '--profile', 'lab'], env)).code).toBe(0);
    expect(leaks(out, ['ChromeClientSecret42'])).toEqual([]);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/echo \[REDACTED:secret:[0-9a-f]{6}\]/);
    // analyze takes the region from the profile (EU: the capture's Cisco hosts are all EU).
    const analyzed = JSON.parse((await xet(['har', 'analyze', input, '--profile', 'lab', '--json'], env)).stdout) as { regions: { expected: string; otherRegion: unknown[] } };
    expect(analyzed.regions).toMatchObject({ expected: 'eu', otherRegion: [] });

    const locked = await xet(['har', 'sanitize', input, '-o', path.join(dir, 'o2.har'), '--profile', 'lab'], { XET_DATA_DIR: env.XET_DATA_DIR });
    expect(locked.code).toBe(2);
    expect(locked.stderr).toMatch(/vault is locked/);
    expect(fs.existsSync(path.join(dir, 'o2.har'))).toBe(false);
  });

  it('invalid input: exit 2 with file, entry, path and byte; nothing written', async () => {
    const dir = tempDir();
    const input = path.join(dir, 'broken.har');
    const text = fs.readFileSync(CHROME, 'utf8');
    fs.writeFileSync(input, text.slice(0, text.indexOf('"_webSocketMessages"')));
    const r = await xet(['har', 'sanitize', input, '-o', path.join(dir, 'out.har')], { XET_DATA_DIR: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^xet: broken\.har: truncated: the file ends in the middle of entry 3 \(at log\.entries\[3\], entry 3, byte \d+\)\n$/);
    expect(fs.readdirSync(dir)).toEqual(['broken.har']);
    const v = await xet(['har', 'validate', input, '--json'], { XET_DATA_DIR: tempDir() });
    expect(v.code).toBe(2);
    expect(JSON.parse(v.stdout)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });

  it('sanitize into a folder that does not exist: exit 2 naming -o', async () => {
    const r = await xet(['har', 'sanitize', CHROME, '-o', path.join(tempDir(), 'no', 'such', 'out.har')], { XET_DATA_DIR: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^xet: -o: cannot write ".*out\.har": ENOENT\n$/);
  });

  it('sanitize needs -o; keywords need 4 characters', async () => {
    expect((await xet(['har', 'sanitize', CHROME], { XET_DATA_DIR: tempDir() })).stderr).toMatch(/-o OUT\.har is required/);
    const short = await xet(['har', 'sanitize', CHROME, '-o', path.join(tempDir(), 'o.har'), '--keyword', 'ab'], { XET_DATA_DIR: tempDir() });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--keyword "ab": keywords need at least 4 characters/);
  });

  it('validate prints a summary (exit 0) and --json the details', async () => {
    const r = await xet(['har', 'validate', CHROME], { XET_DATA_DIR: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chrome-export\.har: valid HAR 1\.2 from WebInspector 537\.36: 5 entries, 1 page,/);
    const j = JSON.parse((await xet(['har', 'validate', CHROME, '--json'], { XET_DATA_DIR: tempDir() })).stdout) as { valid: boolean; entries: number };
    expect(j).toMatchObject({ valid: true, entries: 5 });
  });

  it('analyze: findings with exit 1, region from --region, the SVG on request', async () => {
    const dir = tempDir();
    const svg = path.join(dir, 'w.svg');
    const r = await xet(['har', 'analyze', CHROME, '--region', 'nam', '--svg', svg], { XET_DATA_DIR: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DEVICE_OFFLINE_IN_SSE');
    expect(r.stdout).toContain('REGION_MISMATCH');
    expect(r.stdout).toMatch(/#1 E4017 \[409\]/);
    expect(fs.readFileSync(svg, 'utf8')).toMatch(/^<svg /);
    const j = JSON.parse((await xet(['har', 'analyze', CHROME, '--json'], { XET_DATA_DIR: tempDir() })).stdout) as { findingCodes: string[]; failedCount: number };
    expect(j).toMatchObject({ findingCodes: ['DEVICE_OFFLINE_IN_SSE'], failedCount: 2 });
    expect((await xet(['har', 'analyze', CHROME, '--region', 'mars'], { XET_DATA_DIR: tempDir() })).code).toBe(2);
  });
});
