import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { ProbeDef } from '../../knowledge/runbook.js';
import { describeNetError, VANTAGE, type Probe, type ProbeResult } from './probe.js';
import { genuineRootsContext } from './tls-context.js';

type CloudHttpsDef = Extract<ProbeDef, { type: 'cloud-https' }>;

/**
 * HTTPS GET to the Threat Response server with undici: through the proxy (ProxyAgent, CONNECT) when
 * one is set, trusting only the genuine roots. Any HTTP status proves the path; the body is drained
 * and ignored.
 */
export const cloudHttpsProbe: Probe<CloudHttpsDef> = async (ctx): Promise<ProbeResult> => {
  const url = ctx.endpoints.threatResponse;
  const secureContext = genuineRootsContext(ctx.endpoints.trustedCa);
  const via = ctx.proxy ? { en: ` via proxy ${ctx.proxy.display}`, de: ` über Proxy ${ctx.proxy.display}` } : '';
  const dispatcher: Dispatcher = ctx.proxy
    ? new ProxyAgent({ uri: ctx.proxy.url.href, ...(ctx.proxy.authorization ? { token: ctx.proxy.authorization } : {}), requestTls: { secureContext }, proxyTls: {} })
    : new Agent({ connect: { secureContext } });
  const evidence = { vantage: VANTAGE, request: `GET ${url.href}`, proxy: ctx.proxy?.display ?? null, endpointsSource: ctx.endpoints.source };
  const started = performance.now();
  try {
    const res = await request(url, { method: 'GET', dispatcher, signal: ctx.signal, headers: { 'user-agent': 'xet-troubleshooter' }, maxRedirections: 0 } as Parameters<typeof request>[1]);
    await res.body.dump();
    const elapsedMs = Math.round(performance.now() - started);
    return { outcome: 'pass', params: { url: url.href, status: res.statusCode, elapsedMs, via }, evidence: { ...evidence, status: res.statusCode, elapsedMs } };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const cause = (error as { cause?: unknown }).cause ?? error;
    const detail = describeNetError(cause);
    return { outcome: 'failed', params: { url: url.href, detail, via }, evidence: { ...evidence, error: detail } };
  } finally {
    void dispatcher.close().catch(() => undefined);
  }
};
