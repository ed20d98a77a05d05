import http from 'node:http';
import tls from 'node:tls';
import { AppError } from '../../errors.js';
import type { ProbeDef } from '../../knowledge/runbook.js';
import { isStale, StaleConnection } from './api-connections.js';
import { dateTimeText } from './time-text.js';
import { VANTAGE, type ProbeContext, type Probe, type ProbeResult } from './probe.js';
import { clientContext, derSha256 } from './tls-context.js';

interface ApiAnswer {
  status: number;
  body: unknown;
  elapsedMs: number;
}

const MAX_BODY = 1024 * 1024;

/** `/esa/api/v2.0` or `/sma/api/v2.0` (CES is an ESA). */
export function apiPrefix(kind: 'esa' | 'sma' | 'ces', version = 'v2.0'): string {
  return `/${kind === 'sma' ? 'sma' : 'esa'}/api/${version}`;
}

/** The `{"error":{"message"}}` text of an AsyncOS error body, or a short description of any other body. */
export function errorMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === 'string') return message;
  if (body === null || body === undefined) return 'empty answer';
  return typeof body === 'string' ? body.slice(0, 120) : 'unexpected JSON';
}

/** A TLS socket to the API, verified by the session's trust (pin or CA) before anything is written; the log collector reuses it. */
export function connectTls(ctx: Pick<ProbeContext, 'session' | 'signal'>, base: URL): Promise<tls.TLSSocket> {
  const trust = ctx.session.tls ?? {};
  const host = base.hostname.replace(/^\[|\]$/g, '');
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port: Number(base.port),
      ...(isIp ? {} : { servername: host }),
      // A pinned certificate is checked by fingerprint below, before a byte of the request is written.
      rejectUnauthorized: trust.pin === undefined,
      secureContext: clientContext(trust.ca),
    });
    const onAbort = () => {
      socket.destroy();
      reject(ctx.signal.reason);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    socket.once('secureConnect', () => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (trust.pin !== undefined) {
        // The legacy form: getPeerX509Certificate answers only its first call, and the log collector reads the certificate again.
        const raw = socket.getPeerCertificate().raw as Buffer | undefined;
        if (!raw || derSha256(raw) !== trust.pin) {
          socket.destroy();
          reject(AppError.of('FORBIDDEN', 'errors.checks.pinMismatch'));
          return;
        }
      }
      resolve(socket);
    });
  });
}

/**
 * One AsyncOS API call over the connection api-tls accepted (HTTPS), or plain HTTP for a base URL
 * with http:. The TLS socket is made and verified first, so credentials never travel on a
 * connection whose certificate was not accepted. Within a run the verified connection is kept
 * open for the next call (HTTP/1.1 keep-alive, `session.connections`) unless the appliance closes
 * it; a kept one that turns out closed when the call goes out is replaced by a fresh, verified
 * one once, before any answer was read.
 */
export async function apiCall(ctx: ProbeContext, options: ApiRequest): Promise<ApiAnswer> {
  const base = ctx.session.base;
  if (!base) throw new Error('the AsyncOS API address is not known (api-tls did not pass)');
  const started = performance.now();
  if (base.protocol !== 'https:') return await send(ctx, base, options, undefined, started, false);
  const pool = ctx.session.connections;
  if (!pool) return await send(ctx, base, options, await connectTls(ctx, base), started, false);
  return await pool.request(ctx.signal, () => connectTls(ctx, base), (socket, reused) => send(ctx, base, options, socket, started, reused));
}

interface ApiRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

function send(ctx: ProbeContext, base: URL, options: ApiRequest, socket: tls.TLSSocket | undefined, started: number, reused: boolean): Promise<ApiAnswer> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const pool = socket ? ctx.session.connections : undefined;
  return new Promise<ApiAnswer>((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: base.hostname.replace(/^\[|\]$/g, ''),
        port: Number(base.port),
        method: options.method,
        path: options.path,
        signal: ctx.signal,
        headers: {
          Accept: 'application/json',
          'User-Agent': 'xet-troubleshooter',
          ...(pool ? { Connection: 'keep-alive' } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
          ...options.headers,
        },
        // With createConnection and no agent, the request runs on the verified socket; plain HTTP gets a fresh one.
        ...(socket ? { createConnection: () => socket } : { agent: false }),
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY) chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON: keep the text, the probe reports "not an AsyncOS API answer".
          }
          resolve({ status: res.statusCode ?? 0, body, elapsedMs: Math.round(performance.now() - started) });
        });
        res.on('error', reject);
      },
    );
    if (socket && pool) {
      // Node's client emits `free` on a socket whose answer ended and that both sides keep open.
      socket.once('free', () => pool.give(socket));
    }
    req.on('error', (error) => {
      socket?.destroy();
      reject(reused && !answered && isStale(error) ? new StaleConnection(error) : error);
    });
    if (payload) req.write(payload);
    req.end();
  });
}

const basicHeader = (ctx: ProbeContext): Record<string, string> => (ctx.session.basic ? { Authorization: `Basic ${ctx.session.basic}` } : {});

type VersionDef = Extract<ProbeDef, { type: 'api-version' }>;
type HealthDef = Extract<ProbeDef, { type: 'api-health' }>;
type ClockDef = Extract<ProbeDef, { type: 'api-clock' }>;

/** Unauthenticated GET of …/health: 401 proves the v2.0 API is there, 404 that it is not. */
export const apiVersionProbe: Probe<VersionDef> = async (ctx, def): Promise<ProbeResult> => {
  const path = `${apiPrefix(ctx.profile.kind, def.version)}/health`;
  const a = await apiCall(ctx, { method: 'GET', path });
  const message = errorMessage(a.body);
  const params = { path, status: a.status, message };
  const evidence = { vantage: VANTAGE, request: `GET ${path} (no credentials)`, status: a.status, message, elapsedMs: a.elapsedMs };
  if (a.status === 401 || a.status === 200) return { outcome: 'pass', params, evidence };
  if (a.status === 404) return { outcome: 'not-found', params, evidence };
  return { outcome: 'unexpected', params, evidence };
};

/** POST …/login (JWT) and Basic authentication with the stored password. */
export const apiAuthProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const user = ctx.profile.username;
  const prefix = apiPrefix(ctx.profile.kind);
  let password: string | null;
  try {
    password = ctx.password();
  } catch (error) {
    if (error instanceof AppError && error.code === 'LOCKED') {
      return { outcome: 'no-password', params: { detail: { en: 'The credential vault is locked: unlock it to use the stored API password.', de: 'Der Zugangsdaten-Tresor ist gesperrt: Entsperren Sie ihn, um das gespeicherte API-Passwort zu verwenden.' } }, evidence: { vault: 'locked' } };
    }
    throw error;
  }
  if (!user || password === null) {
    const detail = !user ? { en: 'The profile has no API user name.', de: 'Das Profil hat keinen API-Benutzernamen.' } : { en: 'No API password is stored for this profile.', de: 'Für dieses Profil ist kein API-Passwort gespeichert.' };
    // One text per language: the catalogue's format picks the run's language for {detail}.
    return { outcome: 'no-password', params: { detail }, evidence: { user: user || null, passwordStored: password !== null } };
  }
  const path = `${prefix}/login`;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const login = await apiCall(ctx, { method: 'POST', path, body: { data: { userName: b64(user), passphrase: b64(password) } } });
  const evidence = { vantage: VANTAGE, request: `POST ${path}`, user, status: login.status, elapsedMs: login.elapsedMs };
  if (login.status === 401 || login.status === 403) {
    const message = errorMessage(login.body);
    return { outcome: 'rejected', params: { path, status: login.status, message, user }, evidence: { ...evidence, message } };
  }
  const data = (login.body as { data?: { jwtToken?: unknown; role?: unknown } } | null)?.data;
  if (login.status !== 200 || typeof data?.jwtToken !== 'string') {
    return { outcome: 'unexpected', params: { status: login.status, message: errorMessage(login.body) }, evidence };
  }
  ctx.session.jwt = data.jwtToken;
  ctx.session.basic = b64(`${user}:${password}`);
  ctx.protect(data.jwtToken);
  ctx.protect(ctx.session.basic);
  ctx.session.user = user;
  const role = typeof data.role === 'string' ? data.role : 'unknown';
  // The same account over Basic authentication, which later probes use.
  const basic = await apiCall(ctx, { method: 'GET', path: `${prefix}/login/privileges`, headers: basicHeader(ctx) });
  if (basic.status === 401) {
    ctx.session.basic = null;
    const message = errorMessage(basic.body);
    return { outcome: 'rejected', params: { path: `${prefix}/login/privileges (Basic)`, status: basic.status, message, user }, evidence: { ...evidence, basicStatus: basic.status, message } };
  }
  return { outcome: 'pass', params: { user, role }, evidence: { ...evidence, role, jwtIssued: true, basicStatus: basic.status } };
};

/** GET …/login/privileges with the JWT in the `jwtToken` header. */
export const apiPrivilegesProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const path = `${apiPrefix(ctx.profile.kind)}/login/privileges`;
  const a = await apiCall(ctx, { method: 'GET', path, headers: ctx.session.jwt ? { jwtToken: ctx.session.jwt } : {} });
  const evidence = { vantage: VANTAGE, request: `GET ${path} (JWT)`, status: a.status, elapsedMs: a.elapsedMs };
  if (a.status === 401) {
    const message = errorMessage(a.body);
    return { outcome: /expired/i.test(message) ? 'jwt-expired' : 'unexpected', params: { path, status: a.status, message }, evidence: { ...evidence, message } };
  }
  const list = (a.body as { data?: unknown } | null)?.data;
  if (a.status !== 200 || !Array.isArray(list)) return { outcome: 'unexpected', params: { path, status: a.status, message: errorMessage(a.body) }, evidence };
  const privileges = list.filter((p): p is string => typeof p === 'string');
  const params = { path, count: privileges.length, privileges: privileges.join(', ') || '—', user: ctx.session.user };
  return { outcome: privileges.length === 0 ? 'no-privileges' : 'pass', params, evidence: { ...evidence, privileges } };
};

/** GET …/health: CPU, RAM and queue use, resource conservation. */
export const apiHealthProbe: Probe<HealthDef> = async (ctx, def): Promise<ProbeResult> => {
  const path = `${apiPrefix(ctx.profile.kind)}/health`;
  const a = await apiCall(ctx, { method: 'GET', path, headers: basicHeader(ctx) });
  const data = (a.body as { data?: Record<string, unknown> } | null)?.data;
  const evidence = { vantage: VANTAGE, request: `GET ${path}`, status: a.status, elapsedMs: a.elapsedMs };
  if (a.status !== 200 || !data) return { outcome: 'unexpected', params: { path, status: a.status, message: errorMessage(a.body) }, evidence };
  const num = (k: string) => (typeof data[k] === 'number' ? (data[k] as number) : Number(data[k] ?? 0));
  const cpu = num('percentage_cpu_load');
  const ram = num('percentage_ram_utilization');
  const queue = num('percentage_queue_utilization');
  const conservation = num('resource_conservation');
  const params = { cpu, ram, queue, conservation: conservation > 0 ? 'on' : 'off' };
  const pressure = conservation > 0 || cpu >= def.cpuPercent || ram >= def.ramPercent || queue >= def.queuePercent;
  return { outcome: pressure ? 'pressure' : 'pass', params, evidence: { ...evidence, cpuPercent: cpu, ramPercent: ram, queuePercent: queue, resourceConservation: conservation, thresholds: `cpu ${def.cpuPercent} %, ram ${def.ramPercent} %, queue ${def.queuePercent} %` } };
};

export function durationText(ms: number): { en: string; de: string } {
  const s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = (units: [string, string, string, string]) =>
    [d ? `${d} ${units[0]}` : '', h ? `${h} ${units[1]}` : '', m ? `${m} ${units[2]}` : '', !d && !h && (sec || !m) ? `${sec} ${units[3]}` : ''].filter(Boolean).join(' ');
  return { en: parts(['d', 'h', 'min', 's']), de: parts(['T', 'Std.', 'Min.', 's']) };
}

/** GET …/config/system_time, compared with this computer's clock at the middle of the round trip. */
export const apiClockProbe: Probe<ClockDef> = async (ctx, def): Promise<ProbeResult> => {
  const path = `${apiPrefix(ctx.profile.kind)}/config/system_time?device_type=${ctx.profile.kind === 'sma' ? 'sma' : 'esa'}`;
  const before = ctx.clock().getTime();
  const a = await apiCall(ctx, { method: 'GET', path, headers: basicHeader(ctx) });
  const after = ctx.clock().getTime();
  const data = (a.body as { data?: { time?: unknown; timezone?: unknown } } | null)?.data;
  const evidence = { vantage: VANTAGE, request: `GET ${path}`, status: a.status, roundTripMs: after - before };
  if (a.status !== 200 || !data) return { outcome: 'unexpected', params: { path, status: a.status, message: errorMessage(a.body) }, evidence };
  const raw = typeof data.time === 'string' ? data.time : String(data.time ?? '');
  const timezone = typeof data.timezone === 'string' ? data.timezone : 'unknown';
  // Only a time with an explicit zone can be compared honestly; anything else is reported, not guessed.
  const zoned = /(Z|[+-]\d{2}:?\d{2}|GMT|UTC)\s*$/i.test(raw);
  const appliance = zoned ? Date.parse(raw) : NaN;
  if (Number.isNaN(appliance)) return { outcome: 'unreadable', params: { time: raw }, evidence: { ...evidence, applianceTime: raw, timezone } };
  const local = before + (after - before) / 2;
  const skewMs = appliance - local;
  const skewSeconds = Math.round(skewMs / 1000);
  const params = {
    applianceTime: dateTimeText(appliance),
    localTime: dateTimeText(local),
    timezone,
    skewSeconds,
    maxSkewSeconds: def.maxSkewSeconds,
    skewText: durationText(skewMs),
  };
  const outcome = Math.abs(skewMs) / 1000 > def.maxSkewSeconds ? 'skew' : 'pass';
  return { outcome, params, evidence: { ...evidence, applianceTime: raw, timezone, localTime: new Date(local).toISOString(), skewSeconds } };
};
