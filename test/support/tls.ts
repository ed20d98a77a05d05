import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tempDir } from './temp.js';

export interface TestCert {
  key: string;
  cert: string;
}

/** A fresh self-signed certificate made by the real openssl binary. */
export function makeSelfSigned(cn = 'esa1.example.com', dir = tempDir('xet-cert-')): TestCert {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${cn}/O=Test Appliance`, '-addext', `subjectAltName=DNS:${cn},IP:127.0.0.1`], { stdio: 'ignore' });
  return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
}

/** A TLS server on 127.0.0.1 presenting `cert`; closes its connections right after the handshake. */
export async function tlsServer(cert: TestCert): Promise<{ port: number; close: () => Promise<void> }> {
  const server = tls.createServer({ key: cert.key, cert: cert.cert }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
