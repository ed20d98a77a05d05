import { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import tls from 'node:tls';
import forge from 'node-forge';
import { clientContext, derSha256, genuineRootsContext } from './tls-context.js';

/** What the results show of one certificate. */
export interface CertFacts {
  subject: string;
  issuer: string;
  /** CN (else O) of the issuer: the name a one-line summary uses. */
  issuerName: string;
  subjectName: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  sha256: string;
  selfSigned: boolean;
}

function dn(attrs: forge.pki.CertificateField[]): string {
  return attrs.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(', ');
}

function shortName(attrs: forge.pki.CertificateField[]): string {
  const pick = attrs.find((a) => a.shortName === 'CN') ?? attrs.find((a) => a.shortName === 'O');
  return pick ? String(pick.value) : dn(attrs);
}

/**
 * Parses a DER certificate with node-forge. forge reads RSA keys only, so a certificate with an EC
 * key falls back to Node's X509Certificate for the same facts.
 */
export function describeCertificate(der: Buffer): CertFacts {
  const sha256 = derSha256(der);
  const known = described.get(sha256);
  if (known) return { ...known, subjectAltNames: [...known.subjectAltNames] };
  const facts = parseCertificate(der, sha256);
  described.set(sha256, facts);
  if (described.size > MAX_DESCRIBED) described.delete(described.keys().next().value!);
  return { ...facts, subjectAltNames: [...facts.subjectAltNames] };
}

/** Certificates already read, by fingerprint: the same few are presented to every connection of a run. */
const MAX_DESCRIBED = 64;
const described = new Map<string, CertFacts>();

function parseCertificate(der: Buffer, sha256: string): CertFacts {
  try {
    const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))));
    const san = cert.getExtension('subjectAltName') as { altNames?: { type: number; value?: string; ip?: string }[] } | null;
    const subject = dn(cert.subject.attributes);
    const issuer = dn(cert.issuer.attributes);
    return {
      subject,
      issuer,
      issuerName: shortName(cert.issuer.attributes),
      subjectName: shortName(cert.subject.attributes),
      subjectAltNames: (san?.altNames ?? []).map((n) => (n.type === 7 ? `IP:${n.ip ?? ''}` : n.type === 2 ? `DNS:${n.value ?? ''}` : `type${n.type}:${n.value ?? ''}`)),
      validFrom: cert.validity.notBefore.toISOString(),
      validTo: cert.validity.notAfter.toISOString(),
      sha256,
      selfSigned: subject === issuer,
    };
  } catch {
    const x = new X509Certificate(der);
    const line = (s: string) => s.split('\n').filter(Boolean).join(', ');
    const cn = (s: string) => /(?:^|\n)CN=([^\n]+)/.exec(s)?.[1] ?? /(?:^|\n)O=([^\n]+)/.exec(s)?.[1] ?? line(s);
    return {
      subject: line(x.subject),
      issuer: line(x.issuer),
      issuerName: cn(x.issuer),
      subjectName: cn(x.subject),
      subjectAltNames: (x.subjectAltName ?? '').split(/,\s*/).filter(Boolean),
      validFrom: new Date(x.validFrom).toISOString(),
      validTo: new Date(x.validTo).toISOString(),
      sha256,
      selfSigned: x.subject === x.issuer,
    };
  }
}

export interface Handshake {
  chain: CertFacts[];
  /** OpenSSL's verdict against the given roots. */
  authorized: boolean;
  authorizationError: string | null;
  /** Host-name mismatch, checked separately so a pinned certificate can ignore it. */
  identityError: string | null;
  protocol: string | null;
  cipher: string | null;
}

/**
 * One TLS handshake that never rejects the peer, so the certificate can be examined: the chain is
 * read when the handshake completes, then the connection is closed without sending anything.
 */
export function handshake(options: { host: string; port: number; ca?: string | string[]; genuineRoots?: boolean; socket?: net.Socket; signal: AbortSignal }): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const isIp = /^[\d.]+$/.test(options.host) || options.host.includes(':');
    const socket = tls.connect({
      // With a tunnelled socket the host still names who we expect, for the identity check.
      ...(options.socket ? { socket: options.socket, host: options.host } : { host: options.host, port: options.port }),
      ...(isIp ? {} : { servername: options.host }),
      // genuineRoots: Node's bundled roots (or the lab CA in ca), never the system's extra ones.
      secureContext: options.genuineRoots ? genuineRootsContext(options.ca) : clientContext(options.ca),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const onAbort = () => {
      socket.destroy();
      reject(options.signal.reason);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal.removeEventListener('abort', onAbort);
    socket.once('error', (error) => {
      done();
      socket.destroy();
      reject(error);
    });
    socket.once('secureConnect', () => {
      done();
      const chain: CertFacts[] = [];
      const seen = new Set<string>();
      // X509Certificate objects: the legacy detailed form converts every field of every certificate.
      let peer: X509Certificate | undefined = socket.getPeerX509Certificate();
      while (peer && !seen.has(peer.fingerprint256)) {
        seen.add(peer.fingerprint256);
        chain.push(describeCertificate(peer.raw));
        peer = peer.issuerCertificate;
      }
      const leaf = socket.getPeerCertificate();
      const identity = leaf?.raw ? tls.checkServerIdentity(options.host, leaf) : undefined;
      const result: Handshake = {
        chain,
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
        identityError: identity ? identity.message : null,
        protocol: socket.getProtocol(),
        cipher: socket.getCipher()?.name ?? null,
      };
      socket.destroy();
      resolve(result);
    });
  });
}

/** OpenSSL verification errors that mean "signed by someone the roots do not know". */
export const FOREIGN_ISSUER_ERRORS = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);
