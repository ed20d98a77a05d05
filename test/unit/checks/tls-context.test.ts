import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate, handshake } from '../../../electron/core/checks/probes/certificates.js';
import { clientContext, genuineRootsContext } from '../../../electron/core/checks/probes/tls-context.js';
import { makeAuthority, makeServerCert, type Authority, type Issued } from '../../fixtures/simulator/certs.js';

/** Shared client contexts: made once per root set, yet each root set still decides alone. */
describe('TLS client contexts shared across connections', () => {
  let lab: Authority;
  let other: Authority;
  let leaf: Issued;
  let server: tls.Server;
  let port = 0;

  beforeAll(async () => {
    lab = makeAuthority('Lab Root');
    other = makeAuthority('Other Root');
    leaf = makeServerCert('localhost', { dns: ['localhost'], ips: ['127.0.0.1'] }, lab);
    server = tls.createServer({ cert: `${leaf.certPem}${lab.certPem}`, key: leaf.keyPem }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gives the same context for the same roots and another for other roots', () => {
    expect(clientContext([lab.certPem])).toBe(clientContext([lab.certPem]));
    expect(clientContext(lab.certPem)).toBe(clientContext([lab.certPem]));
    expect(clientContext([other.certPem])).not.toBe(clientContext([lab.certPem]));
    expect(clientContext()).not.toBe(clientContext([lab.certPem]));
    expect(genuineRootsContext()).toBe(genuineRootsContext());
    expect(genuineRootsContext(null)).not.toBe(clientContext());
  });

  it('trusts the lab server under its own root only, however often each context was used before', async () => {
    const signal = new AbortController().signal;
    for (let round = 0; round < 3; round++) {
      const mine = await handshake({ host: '127.0.0.1', port, ca: lab.certPem, signal });
      const foreign = await handshake({ host: '127.0.0.1', port, ca: other.certPem, signal });
      const bundled = await handshake({ host: '127.0.0.1', port, genuineRoots: true, signal });
      expect(mine.authorized, `round ${round}`).toBe(true);
      expect(foreign.authorized).toBe(false);
      expect(bundled.authorized).toBe(false);
      // The chain is walked through the issuer: the leaf, then the lab root it sent along.
      expect(mine.chain.map((c) => c.sha256)).toEqual([leaf.sha256, lab.sha256]);
      expect(mine.chain[0]!.subjectName).toBe('localhost');
      expect(mine.chain[0]!.subjectAltNames).toContain('DNS:localhost');
    }
  });

  it('describes a certificate from its cache as a copy the caller may change', () => {
    const der = Buffer.from(leaf.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const first = describeCertificate(der);
    first.subjectAltNames.push('DNS:tampered');
    first.subjectName = 'tampered';
    const again = describeCertificate(der);
    expect(again.subjectName).toBe('localhost');
    expect(again.subjectAltNames).not.toContain('DNS:tampered');
    expect(again.sha256).toBe(leaf.sha256);
  });
});
