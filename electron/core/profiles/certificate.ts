import { createHash, X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { CertificateInfo } from '../../contract/profiles.js';
import { AppError } from '../errors.js';

/** Facts about a CA certificate a profile trusts, checked when it is saved. */
export function describeCaPem(pem: string): { subject: string; notAfter: string; sha256: string } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    throw AppError.of('INVALID_REQUEST', 'errors.certificate.caUnreadable', { detail: (error as Error).message }, 'trust.pem');
  }
  return { subject: oneLine(cert.subject), notAfter: new Date(cert.validTo).toISOString(), sha256: fingerprint(cert.raw) };
}

export function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/**
 * Connects once to host:port and reads the certificate the server presents, so the user can compare
 * it with the appliance GUI and pin it. Nothing is sent after the handshake; whether the chain is
 * trusted by this computer is reported, not enforced, because showing an untrusted certificate is
 * the point. The pin itself is what later connections enforce.
 */
export function fetchCertificate(host: string, port: number, timeoutMs = 8000): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    const servername = /^[\d.]+$/.test(host) || host.includes(':') ? undefined : host;
    const socket = tls.connect({ host, port, ...(servername ? { servername } : {}), rejectUnauthorized: false, timeout: timeoutMs });
    const fail = (key: `errors.certificate.${string}`, params: Record<string, string | number> = {}) => {
      socket.destroy();
      reject(AppError.of('UNAVAILABLE', key, { host, port, ...params }, 'host'));
    };
    socket.once('timeout', () => fail('errors.certificate.noTlsAnswer', { seconds: timeoutMs / 1000 }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') fail('errors.certificate.refused');
      else if (error.code === 'ENOTFOUND') fail('errors.certificate.notInDns');
      // Any other socket error: Node's own text, passed through.
      else fail('errors.certificate.fetchFailed', { detail: error.message });
    });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerX509Certificate();
      const authorized = socket.authorized;
      const authError = socket.authorizationError ? String(socket.authorizationError) : null;
      socket.end();
      if (!peer) return fail('errors.certificate.noPeerCertificate');
      resolve({
        host,
        port,
        sha256: fingerprint(peer.raw),
        subject: oneLine(peer.subject),
        issuer: oneLine(peer.issuer),
        subjectAltNames: (peer.subjectAltName ?? '').split(/,\s*/).filter(Boolean),
        validFrom: new Date(peer.validFrom).toISOString(),
        validTo: new Date(peer.validTo).toISOString(),
        selfSigned: peer.subject === peer.issuer && peer.checkIssued(peer),
        trustedBySystem: authorized,
        trustError: authorized ? null : authError,
      });
    });
  });
}
