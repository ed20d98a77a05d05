import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { loadRecipients } from '../../../electron/core/archive/recipient-cert.js';
import { tempDir } from '../../support/temp.js';
import { makeSelfSigned } from '../../support/tls.js';

const NOW = new Date('2026-11-28T12:00:00Z');

/** A certificate signed by forge with the validity and key usage a test needs (openssl req cannot back-date). */
function cert(options: { bits?: number; notBefore?: string; notAfter?: string; keyUsage?: Record<string, boolean> | null } = {}): string {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  c.serialNumber = '0badc0de01';
  c.validity.notBefore = new Date(options.notBefore ?? '2026-01-01T00:00:00Z');
  c.validity.notAfter = new Date(options.notAfter ?? '2027-01-01T00:00:00Z');
  const name = [{ name: 'commonName', value: 'TAC Recipient' }];
  c.setSubject(name);
  c.setIssuer(name);
  if (options.keyUsage !== null) c.setExtensions([{ name: 'keyUsage', ...(options.keyUsage ?? { keyEncipherment: true, digitalSignature: true }) }]);
  c.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string), forge.md.sha256.create());
  return forge.pki.certificateToPem(c);
}

const load = (pem: string | Buffer, label = 'tac.pem') => () => loadRecipients([{ label, data: Buffer.isBuffer(pem) ? pem : Buffer.from(pem) }], NOW);

describe('recipient certificates', () => {
  it('accepts a valid RSA encryption certificate (PEM, DER, bundles) and drops duplicates', () => {
    const pem = cert();
    const [r] = loadRecipients([{ label: 'tac.pem', data: Buffer.from(pem) }], NOW);
    expect(r).toMatchObject({ label: 'tac.pem', subject: 'CN=TAC Recipient', serialHex: '0badc0de01', notAfter: '2027-01-01T00:00:00.000Z' });
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(), 'binary');
    expect(loadRecipients([{ label: 'tac.der', data: der }], NOW)).toHaveLength(1);
    const bundle = loadRecipients([{ label: 'bundle.pem', data: Buffer.from(pem + cert()) }, { label: 'again.pem', data: Buffer.from(pem) }], NOW);
    expect(bundle.map((b) => b.label)).toEqual(['bundle.pem (certificate 1)', 'bundle.pem (certificate 2)']);
    // No keyUsage extension at all: any use is allowed.
    expect(load(cert({ keyUsage: null }))()).toHaveLength(1);
  });

  it('refuses expired, not yet valid, signing-only, small and non-RSA certificates, keys and garbage, naming the file', () => {
    expect(load(cert({ notAfter: '2026-06-01T00:00:00Z' }))).toThrow(/^tac\.pem: expired on 2026-06-01T00:00:00\.000Z/);
    expect(load(cert({ notBefore: '2027-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z' }))).toThrow(/^tac\.pem: is not valid before 2027-01-01/);
    expect(load(cert({ keyUsage: { digitalSignature: true } }))).toThrow(/^tac\.pem: does not allow key encipherment \(key usage: digitalSignature\)/);
    expect(load(cert({ bits: 1024 }))).toThrow(/^tac\.pem: has a 1024-bit RSA key; at least 2048/);
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k'), '-out', path.join(dir, 'ec.pem'), '-days', '30', '-subj', '/CN=ec'], { stdio: 'ignore' });
    expect(() => loadRecipients([{ label: 'ec.pem', data: fs.readFileSync(path.join(dir, 'ec.pem')) }])).toThrow(/^ec\.pem: holds an EC key, not RSA/);
    expect(load(makeSelfSigned().key, 'key.pem')).toThrow(/^key\.pem: holds no certificate \(PEM blocks: PRIVATE KEY\)/);
    expect(load(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]), 'junk.der')).toThrow(/^junk\.der: is not a readable X\.509 certificate/);
    expect(load('hello', 'notes.txt')).toThrow(/^notes\.txt: is neither a PEM nor a DER certificate/);
    expect(() => loadRecipients([], NOW)).toThrow(/at least one recipient certificate/);
  });
});
