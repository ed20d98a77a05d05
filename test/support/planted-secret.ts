import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { encodedForms } from '../../electron/core/logging/redactor.js';
import { ROOT } from './web-host-process.js';

/** Runs the built `xet` as its own process with this process's environment plus `env`; stdout and stderr interleaved in `out`, as a terminal would show them. */
export function xetCombined(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'xet.js'), ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

/** `xetCombined` with a fixed environment that keeps every output, so a test can search them all afterwards. */
export function recordingXet(env: Record<string, string>): { run: (args: string[], stdin?: string) => Promise<{ code: number | null; out: string }>; outputs: string[] } {
  const outputs: string[] = [];
  const run = async (args: string[], stdin = '') => {
    const r = await xetCombined(args, env, stdin);
    outputs.push(r.out);
    return r;
  };
  return { run, outputs };
}

/** POSTs `body` to the web host's `/api/<command>`; answers the response headers as JSON, a newline, then the body, so a leak in either is searchable. */
export function postApi(port: number, token: string, command: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: `/api/${command}`, headers: { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(`${JSON.stringify(res.headers)}\n${text}`));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every file below `dir`, as full paths. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Which planted secrets occur in `haystack` in any encoded form (UTF-8 or UTF-16LE); the label names the place, the form is cut short so a failure does not print the secret. */
export function leaks(planted: string[], haystack: Buffer | string, label: string): string[] {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  return planted.flatMap((secret) => encodedForms(secret).filter((form) => bytes.includes(Buffer.from(form, 'utf8')) || bytes.includes(Buffer.from(form, 'utf16le'))).map((form) => `${label}: ${form.slice(0, 12)}…`));
}
