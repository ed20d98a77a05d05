import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { AppError } from '../errors.js';
import type { Redactor } from '../logging/redactor.js';

/** The proxy the cloud probes go through; `display` never contains credentials. */
export interface ProxyConfig {
  url: URL;
  display: string;
  source: 'setting' | 'HTTPS_PROXY' | 'option';
  /** `Basic …` for Proxy-Authorization when the URL had credentials (environment only). */
  authorization: string | null;
}

function noProxyMatches(host: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((rule) => rule === '*' || host === rule.replace(/^\./, '') || host.endsWith(rule.startsWith('.') ? rule : `.${rule}`));
}

/**
 * Picks the proxy for a run: an explicit option (CLI --proxy), else the setting, else HTTPS_PROXY
 * (unless NO_PROXY exempts the target host). Credentials in the URL are registered with the redactor
 * and moved into a Proxy-Authorization value so they never appear in evidence or logs.
 */
export function resolveProxy(
  options: { option?: string | null; setting: string | null; env: NodeJS.ProcessEnv; targetHost: string },
  redactor: Redactor,
): ProxyConfig | null {
  let raw: string | undefined;
  let source: ProxyConfig['source'];
  if (options.option) {
    raw = options.option;
    source = 'option';
  } else if (options.setting) {
    raw = options.setting;
    source = 'setting';
  } else {
    raw = options.env.HTTPS_PROXY ?? options.env.https_proxy;
    source = 'HTTPS_PROXY';
    if (!raw || noProxyMatches(options.targetHost, options.env.NO_PROXY ?? options.env.no_proxy)) return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not Node's text: the value may hold the proxy's password, and the message must not quote it.
    throw AppError.of('INVALID_REQUEST', 'errors.checks.proxyNotUrl', undefined, 'proxy');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw AppError.of('INVALID_REQUEST', 'errors.checks.proxyProtocol', { protocol: url.protocol }, 'proxy');
  let authorization: string | null = null;
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    if (pass) redactor.addSecret(pass);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    redactor.addSecret(authorization.slice(6));
    url.username = '';
    url.password = '';
  }
  return { url, display: `${url.protocol}//${url.host}`, source, authorization };
}

/** Opens a CONNECT tunnel through the proxy to host:port; the caller starts TLS on the socket. */
export function connectTunnel(proxy: ProxyConfig, host: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const request = (proxy.url.protocol === 'https:' ? https : http).request({
      host: proxy.url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.url.port) || (proxy.url.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      headers: { Host: `${host}:${port}`, ...(proxy.authorization ? { 'Proxy-Authorization': proxy.authorization } : {}) },
      signal,
    });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(Object.assign(new Error(`proxy ${proxy.display} refused CONNECT: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trim()), { code: 'EPROXY' }));
    });
    request.once('error', (error) => reject(Object.assign(error, { viaProxy: proxy.display })));
    request.end();
  });
}
