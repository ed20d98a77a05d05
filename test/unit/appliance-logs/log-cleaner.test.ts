import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanLog } from '../../../electron/core/appliance-logs/log-cleaner.js';
import { LogFileError } from '../../../electron/core/appliance-logs/log-errors.js';
import { hostKeywords, LogScrubber, logRedactionRules } from '../../../electron/core/appliance-logs/log-scrubber.js';
import { LogSpool } from '../../../electron/core/appliance-logs/log-spool.js';
import { LogsService } from '../../../electron/core/appliance-logs/logs-service.js';
import { classify, loadLogCatalog } from '../../../electron/core/appliance-logs/log-catalog.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { HarSanitizer } from '../../../electron/core/har/har-sanitizer.js';
import { fileText, logHeader, logLine, plantedValues, SIM_SUBSCRIPTIONS } from '../../fixtures/simulator/appliance-logs.js';
import { notRegularFiles } from '../../support/temp.js';
import { makeSelfSigned } from '../../support/tls.js';

const o = { mode: 'healthy' as const, kind: 'esa' as const, username: 'admin', password: 'Sim-Passw0rd!', hostname: 'esa1.example.com', offsetSeconds: 3600, hugeBytes: 0, slowChunkMs: 0 };
const planted = plantedValues(o);
const key = randomBytes(32);
const scrubber = (keepDomains = false) => new LogScrubber({ key, knownSecrets: [o.password], keywords: hostKeywords(['esa1.example.com']).concat('admin'), keepDomains });
const HOUR = 3600_000;

async function* chunks(data: Buffer, size = 7919): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function clean(data: Buffer, options: { window?: { from: number; to: number } | null; cap?: number; keepDomains?: boolean } = {}) {
  const out: Buffer[] = [];
  const result = await cleanLog(chunks(data), async (d) => void out.push(d), { window: options.window ?? null, capBytes: options.cap ?? 1 << 30, scrubber: scrubber(options.keepDomains) });
  return { result, text: Buffer.concat(out).toString('utf8') };
}

function forms(value: string): string[] {
  return [value, Buffer.from(value).toString('base64'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
}

describe('appliance log cleaner', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const all = SIM_SUBSCRIPTIONS.map((s) => fileText(s.name, { from: now - 30 * HOUR, to: now }, o)).join('');

  it('scrubs the planted password, JWT, Basic value, addresses, host name and user from every line, in every encoding', async () => {
    const { text, result } = await clean(Buffer.from(all));
    for (const v of [planted.password, planted.jwt, planted.basic, ...planted.addresses, ...planted.keyLines, 'esa1.example.com', 'esa1']) for (const f of forms(v)) expect(text).not.toContain(f);
    expect(text).not.toMatch(/user:admin|User admin/);
    expect(result.redactions).toMatchObject({ jwt: expect.any(Number), 'email-local': expect.any(Number), 'email-domain': expect.any(Number), keyword: expect.any(Number) });
    expect(JSON.stringify(result)).not.toContain(o.password);
    // Every rule it counts has a name in the app (applianceLogs.rules.*).
    expect(Object.keys(result.redactions).filter((r) => !(logRedactionRules as readonly string[]).includes(r))).toEqual([]);
    // The lines stay readable: times, levels and the message around the placeholders.
    expect(text).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} Info: Begin Logfile$/m);
    expect(text).toContain('Critical: sse_connectord: TLS handshake with api-sse.cisco.com failed');
  });

  it('gives an address the same local-part and domain pseudonyms as the HAR sanitiser gives the same value under the same key', async () => {
    const { text } = await clean(Buffer.from(`${logHeader(now, o)}${logLine('mail_logs', now, 0, o)}\n`));
    const har = new HarSanitizer({ key, knownSecrets: [o.password] });
    const scrubbed = har.rootField('comment', `token ${planted.jwt}`) as string;
    const tag = /\[REDACTED:jwt:([0-9a-f]{6})\]/.exec(scrubbed)![1];
    const { text: apiText } = await clean(Buffer.from(`${logHeader(now, o)}${logLine('api_logs', now, 0, o)}\n`));
    expect(apiText).toContain(`[REDACTED:jwt:${tag}]`);
    expect(text).toMatch(/From: <\[REDACTED:email-local:[0-9a-f]{6}\]@\[REDACTED:email-domain:[0-9a-f]{6}\]>/);
    const kept = await clean(Buffer.from(`${logHeader(now, o)}${logLine('mail_logs', now, 0, o)}\n`), { keepDomains: true });
    expect(kept.text).toMatch(/From: <\[REDACTED:email-local:[0-9a-f]{6}\]@customer-corp\.example>/);
  });

  it('writes a known secret as the same whole placeholder as the HAR sanitiser, never a placeholder inside one', async () => {
    const line = `Thu Nov 12 08:37:41 2026 Info: CLI: user admin typed ${o.password} then secret=${o.password}`;
    const { text } = await clean(Buffer.from(`${logHeader(now, o)}${line}\n`));
    const har = new HarSanitizer({ key, knownSecrets: [o.password] });
    const tag = /\[REDACTED:secret:([0-9a-f]{6})\]/.exec(har.rootField('comment', `typed ${o.password}`) as string)![1];
    expect(text).toContain(`typed [REDACTED:secret:${tag}] then secret=`);
    // The `name=value` rule writes its placeholder percent-encoded; the log-field rule leaves it whole.
    expect(text).toContain(`secret=%5BREDACTED%3Aquery%3A${tag}%5D`);
    expect(text).not.toMatch(/\[REDACTED:[a-z-]+:\[|REDACTED:log-field/);
  });

  it('cuts to the window by line times with the header offset applied; header lines stay', async () => {
    const text = fileText('ctr_logs', { from: now - 10 * HOUR, to: now }, o);
    const { text: out, result } = await clean(Buffer.from(text), { window: { from: now - 2 * HOUR, to: now - HOUR } });
    // One line per 20 minutes: 2 h – 1 h before now holds the lines at -120, -100, -80, -60 minutes.
    expect(result.lines.kept - 3).toBe(4);
    expect(result.offsetSeconds).toBe(3600);
    expect(result.first).toBe(new Date(now - 2 * HOUR).toISOString());
    expect(result.last).toBe(new Date(now - HOUR).toISOString());
    expect(out).toContain('Begin Logfile');
  });

  it('stops at the cap and says so', async () => {
    const { result } = await clean(Buffer.from(all), { cap: 4096 });
    expect(result.capped).toBe(true);
    expect(result.outputBytes).toBeLessThanOrEqual(4096);
  });

  it('reads gzip rotations and refuses a cut gzip, binary files, invalid UTF-8, empty files and text that is not a log', async () => {
    const gz = zlib.gzipSync(Buffer.from(all));
    expect((await clean(gz)).result).toMatchObject({ gzip: true, inputBytes: Buffer.byteLength(all) });
    const cases: [Buffer, string][] = [
      [gz.subarray(0, Math.floor(gz.length / 2)), 'gzip-cut'],
      [Buffer.concat([Buffer.from(logHeader(now, o)), Buffer.from([0, 1, 2, 3])]), 'binary'],
      [Buffer.concat([Buffer.from(logHeader(now, o)), Buffer.from([0xc3, 0x28, 0x0a])]), 'invalid-utf8'],
      [Buffer.alloc(0), 'empty'],
      [Buffer.from('hello\nthis is a shopping list\n'.repeat(5000)), 'not-a-log'],
    ];
    for (const [data, problem] of cases) {
      const error = await clean(data).catch((e: unknown) => e);
      expect(error, problem).toBeInstanceOf(LogFileError);
      expect((error as LogFileError).problem).toBe(problem);
    }
  });

  it('decodes characters cut by any chunk boundary, and names where UTF-8 breaks or that the file ends inside a character', async () => {
    const line = 'Tue Dec  1 11:00:00 2026 Info: MID 7 Subject: Grüße aus Köln — 東京 \u{1F600}';
    const data = Buffer.from(`${logHeader(now, o)}${line}\r\n${line}`);
    const out: Buffer[] = [];
    await cleanLog(chunks(data, 1), async (d) => void out.push(d), { window: null, capBytes: 1 << 20, scrubber: scrubber() });
    expect(Buffer.concat(out).toString('utf8').split('\n').slice(-3)).toEqual([line, line, '']);

    const head = Buffer.from(`${logHeader(now, o)}${line}\n`);
    const broken = Buffer.concat([head, Buffer.from('Tue Dec  1 11:00:01 2026 Info: ok '), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('\n')]);
    const error = (await clean(broken).catch((e: unknown) => e)) as LogFileError;
    expect(error.problem).toBe('invalid-utf8');
    const at = head.length + 'Tue Dec  1 11:00:01 2026 Info: ok '.length;
    // The broken sequence starts at `at`; its first wrong byte is the one after.
    expect(error.message).toMatch(new RegExp(`near byte (${at}|${at + 1})\\)`));

    const cut = Buffer.concat([head, Buffer.from('Tue Dec  1 11:00:01 2026 Info: Gr'), Buffer.from('ü').subarray(0, 1)]);
    const ending = (await clean(cut).catch((e: unknown) => e)) as LogFileError;
    expect(ending.problem).toBe('invalid-utf8');
    expect(ending.message).toContain('ends in the middle of a UTF-8 character');
  });

  it('replaces a private key logged over several lines as one placeholder, body and all, and leaves a certificate and the records around it', async () => {
    const pem = (type: 'pkcs8' | 'sec1', cipher?: string) =>
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type, format: 'pem', ...(cipher ? { cipher, passphrase: 'x-Heron-4471' } : {}) }) as string;
    const pkcs8 = pem('pkcs8');
    const sec1 = pem('sec1');
    const encrypted = pem('pkcs8', 'aes-256-cbc');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const cert = makeSelfSigned('esa1 log cert').cert;
    const at = (s: number) => `Tue Dec  1 11:00:${String(s).padStart(2, '0')} 2026 Info:`;
    const unterminated = pkcs8.split('\n').slice(0, 3).join('\n');
    const text = [
      logHeader(now, o).trimEnd(),
      `${at(1)} PID 4711: User operator entered 'certconfig' and pasted:`,
      pkcs8.trimEnd(),
      `${at(2)} PID 4711: key for esa2: ${sec1.trimEnd()}`,
      `${at(3)} PID 4711: again: ${pkcs8.trimEnd()} (same key)`,
      encrypted.trimEnd(),
      rsa.trimEnd(),
      `${at(4)} PID 4711: the certificate:`,
      cert.trimEnd(),
      `${at(5)} PID 4711: cut short: ${unterminated}`,
      `${at(6)} PID 4711: next record`,
      '',
    ].join('\n');
    const body = (p: string) => p.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const size of [7919, 1]) {
      const out: Buffer[] = [];
      const result = await cleanLog(chunks(Buffer.from(text), size), async (d) => void out.push(d), { window: null, capBytes: 1 << 20, scrubber: scrubber() });
      const clean = Buffer.concat(out).toString('utf8');
      for (const p of [pkcs8, sec1, encrypted, rsa, unterminated]) for (const line of body(p)) expect(clean, `chunks of ${size}`).not.toContain(line);
      expect(clean).not.toMatch(/PRIVATE KEY/);
      // The certificate is public: it stays, line by line.
      for (const line of body(cert)) expect(clean).toContain(line);
      const lines = clean.split('\n');
      expect(lines[3]).toMatch(/^Tue Dec {2}1 11:00:01 2026 Info: PID 4711: User operator entered 'certconfig' and pasted:$/);
      expect(lines[4]).toMatch(/^\[REDACTED:pem:[0-9a-f]{6}\]$/);
      expect(lines[5]).toMatch(/^Tue Dec {2}1 11:00:02 2026 Info: PID 4711: key for esa2: \[REDACTED:pem:[0-9a-f]{6}\]$/);
      // The same key gets the same placeholder, another key another one.
      const again = /again: (\[REDACTED:pem:[0-9a-f]{6}\]) \(same key\)/.exec(clean)?.[1];
      expect(again).toBe(lines[4]);
      expect(lines[5]).not.toContain(lines[4]);
      expect(clean).toContain(`${at(4)} PID 4711: the certificate:`);
      expect(clean).toMatch(/cut short: \[REDACTED:pem:[0-9a-f]{6}\]\nTue Dec {2}1 11:00:06 2026 Info: PID 4711: next record\n$/);
      expect(result.redactions.pem).toBe(6);
      expect(result.lines.read).toBe(text.split('\n').length - 1);
      expect(result.lines.kept).toBe(result.lines.read);
    }
  });

  it('cleans a file the same in one large chunk as in small ones (lines longer than a decoding piece included) and names a broken byte far into a chunk', async () => {
    const long = `Tue Dec  1 11:00:02 2026 Info: API: GET /esa/api/v2.0/health ${'Grüße '.repeat(20_000)}from ${o.hostname} password=${o.password}`;
    const text = `${all}${long}\n${all}${long}\n${all}`;
    const data = Buffer.from(text);
    expect(data.length).toBeGreaterThan(400 * 1024);
    const run = async (source: AsyncIterable<Buffer>) => {
      const out: Buffer[] = [];
      const result = await cleanLog(source, async (d) => void out.push(d), { window: null, capBytes: 1 << 30, scrubber: scrubber() });
      return { result, text: Buffer.concat(out).toString('utf8') };
    };
    const small = await run(chunks(data));
    const whole = await run(chunks(data, data.length));
    expect(whole.text).toBe(small.text);
    expect(whole.result.lines).toEqual(small.result.lines);
    expect(whole.result.redactions).toEqual(small.result.redactions);
    expect(whole.result.lines.read).toBe(text.split('\n').length - 1);
    expect(whole.text).not.toContain(o.password);
    expect(whole.text).toContain('Grüße Grüße');

    // A wrong byte 300 KB into one chunk: its position counts from the start of the file.
    const at = Buffer.byteLength(`${all}${long}\n${all}`) + 40;
    const broken = Buffer.from(data);
    broken[at] = 0xff;
    const error = (await run(chunks(broken, broken.length)).catch((e: unknown) => e)) as LogFileError;
    expect(error.problem).toBe('invalid-utf8');
    expect(error.message).toContain(`near byte ${at})`);
  });
});

describe('a log file on this disk (CLI --log-file)', () => {
  it('is read only when it is a regular file: a folder or a pipe is that file\'s problem, said plainly, and nothing blocks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-log-source-'));
    try {
      for (const [file, message] of notRegularFiles(dir)) {
        const error = await (async () => {
          for await (const chunk of LogsService.fileSource(file).open()) void chunk;
        })().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LogFileError);
        expect(error).toMatchObject({ problem: 'read-failed', message });
      }
      const log = path.join(dir, 'cli.current');
      const text = fileText('cli_logs', { from: Date.now() - 3 * HOUR, to: Date.now() }, o);
      fs.writeFileSync(log, text);
      const chunks: Buffer[] = [];
      for await (const chunk of LogsService.fileSource(log).open()) chunks.push(chunk);
      expect(Buffer.concat(chunks).toString('utf8')).toBe(text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('log spool', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-spool-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps only ciphertext on disk and gives the plaintext back in order', async () => {
    const spool = await LogSpool.create(dir);
    const text = `${logLine('cli_logs', Date.now(), 0, o)}\n`.repeat(20000);
    for (let i = 0; i < text.length; i += 10000) await spool.write(Buffer.from(text.slice(i, i + 10000)));
    await spool.finish();
    const disk = fs.readFileSync(spool.file);
    expect(disk.includes(Buffer.from('PID 4711'))).toBe(false);
    const back: Buffer[] = [];
    for await (const c of spool.read()) back.push(c);
    expect(Buffer.concat(back).toString()).toBe(text);
    await spool.remove();
    expect(fs.existsSync(spool.file)).toBe(false);
  });
});

describe('log catalogue', () => {
  const catalog = loadLogCatalog(defaultResourcesDir());
  it('matches subscriptions by type first, then by name; mail logs only as opt-in', () => {
    expect(classify(catalog, { name: 'xdr_errors', type: 'Error Logs' })).toEqual({ id: 'error', optIn: false, by: 'type' });
    expect(classify(catalog, { name: 'ctr_logs', type: '' })).toEqual({ id: 'ctr', optIn: false, by: 'name' });
    expect(classify(catalog, { name: 'mail_logs', type: 'IronPort Text Mail Logs' })).toMatchObject({ id: 'mail', optIn: true });
    expect(classify(catalog, { name: 'authentication', type: 'Authentication Logs' })).toBeNull();
  });
});
