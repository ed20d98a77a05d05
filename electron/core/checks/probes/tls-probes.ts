import tls from 'node:tls';
import type { Evidence } from '../../../contract/checks.js';
import { groupFingerprint } from '../../../contract/profiles.js';
import type { ProbeDef } from '../../knowledge/runbook.js';
import { connectTunnel } from '../proxy.js';
import { FOREIGN_ISSUER_ERRORS, handshake, type CertFacts, type Handshake } from './certificates.js';
import { describeNetError, VANTAGE, type Probe, type ProbeResult } from './probe.js';
import { dateText } from './time-text.js';

type ApplianceTlsDef = Extract<ProbeDef, { type: 'appliance-tls' }>;
type CloudTlsDef = Extract<ProbeDef, { type: 'cloud-tls' }>;

const pairs = groupFingerprint;

function chainEvidence(chain: CertFacts[]): Evidence {
  const out: Evidence = {};
  chain.forEach((c, i) => {
    const n = i === 0 ? 'leaf' : `chain${i}`;
    out[`${n}.subject`] = c.subject;
    out[`${n}.issuer`] = c.issuer;
    if (i === 0) out[`${n}.subjectAltNames`] = c.subjectAltNames;
    out[`${n}.validFrom`] = c.validFrom;
    out[`${n}.validTo`] = c.validTo;
    out[`${n}.sha256`] = pairs(c.sha256);
  });
  return out;
}

function handshakeEvidence(h: Handshake): Evidence {
  return { tlsProtocol: h.protocol, cipher: h.cipher, chainLength: h.chain.length, ...chainEvidence(h.chain) };
}

/**
 * TLS to the AsyncOS API: the profile's trust decides. A pinned fingerprint must match exactly (a
 * change is a finding, never a silent pass); a CA or the system roots must verify the chain and the
 * host name. The session remembers the verdict so later API probes only send credentials over a
 * connection this check accepted.
 */
export const applianceTlsProbe: Probe<ApplianceTlsDef> = async (ctx): Promise<ProbeResult> => {
  const { host, httpsPort: port, trust } = ctx.profile;
  const base = { vantage: VANTAGE, host, port };
  let h: Handshake;
  try {
    h = await handshake({ host, port, ...(trust.mode === 'ca' ? { ca: trust.pem } : {}), signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const detail = describeNetError(error);
    return { outcome: 'handshake-failed', params: { host, port, detail }, evidence: { ...base, error: detail } };
  }
  const leaf = h.chain[0];
  if (!leaf) return { outcome: 'handshake-failed', params: { host, port, detail: 'no certificate presented' }, evidence: base };
  const evidence = { ...base, trustMode: trust.mode, ...handshakeEvidence(h) };
  const params = { host, port, subject: leaf.subjectName, issuer: leaf.issuerName, validTo: dateText(leaf.validTo) };
  if (trust.mode === 'pin') {
    const trustText = { en: 'the pinned fingerprint', de: 'den festgelegten Fingerabdruck' };
    if (leaf.sha256 !== trust.sha256) {
      return { outcome: 'fingerprint-changed', params: { ...params, presented: pairs(leaf.sha256), pinned: pairs(trust.sha256) }, evidence: { ...evidence, pinnedSha256: pairs(trust.sha256) } };
    }
    ctx.session.base = new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}/`);
    ctx.session.tls = { pin: trust.sha256 };
    if (Date.parse(leaf.validTo) < ctx.clock().getTime()) return { outcome: 'expired', params: { ...params, trust: trustText }, evidence };
    return { outcome: 'pass', params: { ...params, trust: trustText }, evidence };
  }
  const trustText = trust.mode === 'ca' ? { en: 'the profile’s CA certificate', de: 'das CA-Zertifikat des Profils' } : { en: 'this computer’s trusted roots', de: 'die vertrauenswürdigen Stammzertifikate dieses Computers' };
  const problem = h.authorizationError ?? h.identityError;
  if (problem) {
    return { outcome: 'untrusted', params: { ...params, trust: trustText, detail: problem }, evidence: { ...evidence, verifyError: problem } };
  }
  ctx.session.base = new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}/`);
  ctx.session.tls = trust.mode === 'ca' ? { ca: trust.pem } : {};
  return { outcome: 'pass', params: { ...params, trust: trustText }, evidence };
};

/**
 * TLS to the region's Threat Response server, through the proxy when one is set. The chain must
 * verify against the genuine roots (this computer's bundled roots, or the endpoints file's CA in the
 * lab); a foreign issuer is what a TLS-inspecting proxy looks like.
 */
export const cloudTlsProbe: Probe<CloudTlsDef> = async (ctx): Promise<ProbeResult> => {
  const url = ctx.endpoints.threatResponse;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || 443;
  const via = ctx.proxy ? { en: ` via proxy ${ctx.proxy.display}`, de: ` über Proxy ${ctx.proxy.display}` } : '';
  const trustSource = ctx.endpoints.trustedCa ? { en: `the lab CA from ${ctx.endpoints.source}`, de: `die Labor-CA aus ${ctx.endpoints.source}` } : { en: 'the public roots bundled with this app', de: 'die mitgelieferten öffentlichen Stammzertifikate' };
  const base: Evidence = { vantage: VANTAGE, host, port, endpointsSource: ctx.endpoints.source, proxy: ctx.proxy?.display ?? null, genuineRoots: ctx.endpoints.trustedCa ? `CA file from ${ctx.endpoints.source}` : `Node.js bundled roots (${tls.rootCertificates.length})` };
  let h: Handshake;
  try {
    const socket = ctx.proxy ? await connectTunnel(ctx.proxy, host, port, ctx.signal) : undefined;
    h = await handshake({ host, port, genuineRoots: true, ...(ctx.endpoints.trustedCa ? { ca: ctx.endpoints.trustedCa } : {}), ...(socket ? { socket } : {}), signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const detail = describeNetError(error);
    return { outcome: 'unreachable', params: { host, port, via, detail }, evidence: { ...base, error: detail } };
  }
  const leaf = h.chain[0];
  const evidence = { ...base, ...handshakeEvidence(h) };
  const last = h.chain[h.chain.length - 1];
  const issuer = last && h.chain.length > 1 ? last.issuerName : (leaf?.issuerName ?? 'unknown');
  const params = { host, port, via, subject: leaf?.subjectName ?? '', issuer: leaf?.issuerName ?? 'unknown', trustSource };
  if (h.authorizationError && FOREIGN_ISSUER_ERRORS.has(h.authorizationError)) {
    return { outcome: 'intercepted', params: { ...params, issuer }, evidence: { ...evidence, verifyError: h.authorizationError } };
  }
  if (h.authorizationError || h.identityError) {
    const detail = h.authorizationError ?? h.identityError ?? '';
    return { outcome: 'invalid', params: { ...params, detail }, evidence: { ...evidence, verifyError: detail } };
  }
  return { outcome: 'pass', params, evidence };
};
