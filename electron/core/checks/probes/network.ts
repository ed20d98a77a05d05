import dns from 'node:dns';
import net from 'node:net';
import { hostKind } from '../../../contract/profiles.js';
import type { ProbeDef } from '../../knowledge/runbook.js';
import { abortable, describeNetError, VANTAGE, type Probe, type ProbeResult } from './probe.js';

type DnsDef = Extract<ProbeDef, { type: 'dns' }>;
type TcpDef = Extract<ProbeDef, { type: 'tcp' }>;

/** Resolves the appliance or the region's Threat Response server with the operating system's resolver. */
export const dnsProbe: Probe<DnsDef> = async (ctx, def): Promise<ProbeResult> => {
  const host = def.target === 'appliance' ? ctx.profile.host : ctx.endpoints.threatResponse.hostname.replace(/^\[|\]$/g, '');
  const evidence = { vantage: VANTAGE, host, resolver: 'operating system (getaddrinfo: hosts file, then the DNS servers below)', dnsServers: dns.getServers() };
  if (hostKind(host) === 'ipv4' || hostKind(host) === 'ipv6') return { outcome: 'literal', params: { host }, evidence };
  // Through a proxy the proxy resolves cloud names; a local failure would not mean the path is broken.
  if (def.target === 'threatResponse' && ctx.proxy) return { outcome: 'via-proxy', params: { host, proxy: ctx.proxy.display }, evidence: { ...evidence, proxy: ctx.proxy.display } };
  try {
    const answers = await abortable(ctx.signal, dns.promises.lookup(host, { all: true, verbatim: true }));
    const addresses = answers.map((a) => a.address);
    return { outcome: 'pass', params: { host, addresses: addresses.join(', ') }, evidence: { ...evidence, addresses, families: answers.map((a) => `IPv${a.family}`) } };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { outcome: 'failed', params: { host, detail: describeNetError(error) }, evidence: { ...evidence, error: describeNetError(error) } };
  }
};

/** Opens (and closes) one TCP connection to an API port of the profile. */
export const tcpProbe: Probe<TcpDef> = async (ctx, def): Promise<ProbeResult> => {
  const enabled = def.port === 'https' ? ctx.profile.httpsEnabled : ctx.profile.httpEnabled;
  const port = def.port === 'https' ? ctx.profile.httpsPort : ctx.profile.httpPort;
  const host = ctx.profile.host;
  const evidence = { vantage: VANTAGE, host, port, transport: def.port.toUpperCase() };
  if (!enabled) return { outcome: 'disabled', params: { host, port }, evidence };
  const started = performance.now();
  return await new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const onAbort = () => {
      socket.destroy();
      reject(ctx.signal.reason);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const done = () => ctx.signal.removeEventListener('abort', onAbort);
    socket.once('connect', () => {
      done();
      const connectMs = Math.round(performance.now() - started);
      const remote = socket.remoteAddress ?? host;
      socket.destroy();
      resolve({ outcome: 'pass', params: { host, port, connectMs }, evidence: { ...evidence, connectMs, remoteAddress: remote } });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      done();
      socket.destroy();
      const detail = describeNetError(error);
      const outcome = error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'ETIMEDOUT' ? 'timeout' : 'unreachable';
      resolve({ outcome, params: { host, port, detail, timeoutMs: ctx.timeoutMs }, evidence: { ...evidence, error: detail } });
    });
  });
};
