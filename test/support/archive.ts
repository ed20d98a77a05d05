import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../electron/contract/archive.js';
import { entry, har, secretForms } from './har.js';

/** Every file below `dir`, relative paths with forward slashes. */
export function filesBelow(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? filesBelow(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Extracts with the real 7-Zip; answers its exit status and output. */
export function sevenZip(args: string[]): { status: number; out: string } {
  const r = spawnSync('7z', args, { encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Which planted secrets (any encoded form) occur in which extracted file. */
export function leaksBelow(dir: string, secrets: string[], caseInsensitive: string[] = []): string[] {
  const found: string[] = [];
  for (const rel of filesBelow(dir)) {
    const bytes = fs.readFileSync(path.join(dir, rel));
    for (const s of secrets) for (const form of secretForms(s)) if (bytes.includes(Buffer.from(form))) found.push(`${rel}: ${form}`);
    const lower = bytes.toString('latin1').toLowerCase();
    for (const word of caseInsensitive) if (lower.includes(word.toLowerCase())) found.push(`${rel}: ${word}`);
  }
  return found;
}

/** Checks every extracted file against the manifest and answers the manifest. */
export function checkAgainstManifest(dir: string): Manifest {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const listed = manifest.files.map((f) => f.path).sort();
  const present = filesBelow(dir).filter((f) => f !== 'manifest.json').sort();
  if (JSON.stringify(listed) !== JSON.stringify(present)) throw new Error(`manifest lists ${listed.join(',')} but the archive holds ${present.join(',')}`);
  for (const f of manifest.files) {
    const actual = sha256File(path.join(dir, f.path));
    if (actual !== f.sha256) throw new Error(`${f.path}: sha256 ${actual} differs from the manifest's ${f.sha256}`);
    if (fs.statSync(path.join(dir, f.path)).size !== f.bytes) throw new Error(`${f.path}: size differs from the manifest`);
  }
  return manifest;
}

export const PLANTED = {
  cookie: 'archCookie-7Hq2Lx9Vb3',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcmNoaXZlLXRlc3QifQ.c2lnbmF0dXJlLWFyY2hpdmU',
  queryToken: 'archQueryTok-5Rt8Yp1',
  formPassword: 'archFormPass-3Kd8Qw',
};

/**
 * A HAR holding cookies, a bearer JWT, a token in the query, a typed password, the profile's stored
 * password in a body, and the appliance host in URLs; plus `padBytes` of incompressible image data.
 */
export function plantedArchiveHar(file: string, options: { host: string; storedPassword: string; padBytes?: number }): string {
  const pad = options.padBytes ? randomBytes(options.padBytes).toString('base64') : '';
  const entries = [
    entry({
      request: {
        method: 'POST',
        url: `https://${options.host}/api/v2.0/login?token=${PLANTED.queryToken}`,
        headers: [{ name: 'Authorization', value: `Bearer ${PLANTED.bearer}` }],
        cookies: [{ name: 'sid', value: PLANTED.cookie }],
        postData: { mimeType: 'application/x-www-form-urlencoded', text: `user=admin&password=${PLANTED.formPassword}`, params: [{ name: 'password', value: PLANTED.formPassword }] },
      },
      response: { status: 200, content: { size: 40, mimeType: 'application/json', text: JSON.stringify({ note: `stored ${options.storedPassword}` }) } },
    }),
    entry({
      request: { url: 'https://xdr.eu.security.cisco.com/iroh/iroh-enrich/observe', headers: [{ name: 'Cookie', value: `sid=${PLANTED.cookie}` }] },
      response: {
        status: 409,
        statusText: 'Conflict',
        content: { size: 110, mimeType: 'application/json', text: '{"errors":[{"code":"E4017","message":"There was a client error in the Secure Email module: E4017: Device is offline [409]"}]}' },
      },
    }),
    ...(pad ? [entry({ request: { url: 'https://xdr.eu.security.cisco.com/logo.png' }, response: { content: { size: pad.length, mimeType: 'image/png', encoding: 'base64', text: pad } } })] : []),
  ];
  fs.writeFileSync(file, JSON.stringify(har(entries)));
  return file;
}
