import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * A self-signed RSA recipient certificate (PEM) and its key, with the validity and key usage a test
 * needs (openssl req cannot back-date).
 */
export function recipientCert(options: { cn?: string; notBefore?: Date; notAfter?: Date; keyUsage?: Record<string, boolean> } = {}): { cert: string; key: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  c.serialNumber = '01';
  const now = Date.now();
  c.validity.notBefore = options.notBefore ?? new Date(now - 86_400_000);
  c.validity.notAfter = options.notAfter ?? new Date(now + 365 * 86_400_000);
  const name = [{ name: 'commonName', value: options.cn ?? 'TAC Recipient' }];
  c.setSubject(name);
  c.setIssuer(name);
  c.setExtensions([{ name: 'keyUsage', ...(options.keyUsage ?? { keyEncipherment: true, digitalSignature: true }) }]);
  c.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(c), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** The same certificate as DER bytes. */
export function pemToDer(pem: string): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(), 'binary');
}
