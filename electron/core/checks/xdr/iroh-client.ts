import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { XdrApiFile } from '../../knowledge/xdr-api.js';
import { describeNetError } from '../probes/probe.js';
import type { ProxyConfig } from '../proxy.js';
import { genuineRootsContext } from '../probes/tls-context.js';

/** Why an IROH call did not give a usable answer; the probes turn each kind into an outcome. */
export type IrohFailure =
  | { kind: 'network'; code: string; detail: string }
  | { kind: 'rejected'; status: number; error: string; description: string }
  | { kind: 'forbidden'; status: number; error: string; description: string }
  | { kind: 'unauthorized'; status: number; error: string; description: string }
  | { kind: 'rate-limited'; retryAfterSeconds: number | null }
  | { kind: 'answer'; status: number | null; detail: string };

export class IrohError extends Error {
  constructor(
    /** The call in words, e.g. `GET /iroh/iroh-sse/device`: every finding names it. */
    readonly call: string,
    readonly failure: IrohFailure,
    readonly traceId: string | null,
  ) {
    super(`${call}: ${failure.kind}${'detail' in failure ? `: ${failure.detail}` : ''}`);
    this.name = 'IrohError';
  }
}

export interface IrohToken {
  accessToken: string;
  /** The granted scopes as the token answer lists them (can be narrower than the client's). */
  scopes: string[];
  expiresIn: number | null;
}

export interface IrohClientOptions {
  base: URL;
  clientId: string;
  clientSecret: string;
  /** PEM roots that count as genuine; the system's when the endpoints file gives none. */
  trustedCa: string | null;
  proxy: ProxyConfig | null;
  api: XdrApiFile;
  /** Masks a credential for the run (the access token, the Basic value). */
  protect(secret: string): void;
  /** Where trace ids and refetches are logged. */
  note?(message: string, fields: Record<string, unknown>): void;
}

export interface IrohAnswer {
  status: number;
  json: unknown;
  traceId: string | null;
}

const USER_AGENT = 'xet-troubleshooter';

/** The deepest nesting of a JSON text, counted without parsing it (no recursion, stops past `limit`). */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 92) escaped = true;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Retry-After as seconds: a number, or an HTTP date from now. */
export function retryAfterSeconds(value: string | string[] | undefined, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, Math.round((at - now) / 1000)) : null;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `error` / `error_description` / `trace_id` of IROH's NormalizedError, when the body has that shape. */
function normalizedError(json: unknown): { error: string; description: string; traceId: string | null } {
  const o = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 500) : '');
  return { error: str(o.error), description: str(o.error_description ?? o.message), traceId: str(o.trace_id) || null };
}

/**
 * The Cisco XDR (IROH) API as the checks use it: client-credentials token, bearer calls, paged
 * lists. Hostile answers are bounded: the body is capped, nesting is counted before parsing, a
 * redirect is never followed (it would carry the token to whatever host it names), and HTML or
 * other non-JSON is an `answer` failure naming the call, never an exception from deep inside.
 * The access token lives in this object only, for one run.
 */
export class IrohClient {
  private readonly dispatcher: Dispatcher;
  private token: Promise<IrohToken> | null = null;
  /** Token requests made (the 401 refetch is the second). */
  tokenRequests = 0;

  constructor(private readonly options: IrohClientOptions) {
    const secureContext = genuineRootsContext(options.trustedCa);
    this.dispatcher = options.proxy
      ? new ProxyAgent({ uri: options.proxy.url.href, ...(options.proxy.authorization ? { token: options.proxy.authorization } : {}), requestTls: { secureContext }, proxyTls: {} })
      : new Agent({ connect: { secureContext } });
  }

  get base(): URL {
    return this.options.base;
  }

  /**
   * Ends the run's connections. `destroy`, not `close`: close waits for requests in flight, and a
   * TLS handshake a silent host never answers stays in flight until undici's 10 s connect timeout.
   */
  async close(): Promise<void> {
    await this.dispatcher.destroy().catch(() => undefined);
  }

  /** The run's token: fetched once, again only after a 401. */
  accessToken(signal: AbortSignal): Promise<IrohToken> {
    if (!this.token) {
      this.token = this.fetchToken(signal);
      // A failed fetch is not cached: the next check may try again (it will say the same, or pass).
      this.token.catch(() => {
        this.token = null;
      });
    }
    return this.token;
  }

  private async fetchToken(signal: AbortSignal): Promise<IrohToken> {
    const { clientId, clientSecret, api } = this.options;
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    this.options.protect(clientSecret);
    this.options.protect(basic);
    this.tokenRequests++;
    const call = `POST ${api.paths.token}`;
    const answer = await this.send(call, 'POST', api.paths.token, {
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
      signal,
    });
    if (answer.status === 429) throw new IrohError(call, { kind: 'rate-limited', retryAfterSeconds: answer.retryAfter }, answer.traceId);
    if (answer.status === 400 || answer.status === 401 || answer.status === 403) {
      const e = normalizedError(answer.json);
      throw new IrohError(call, { kind: 'rejected', status: answer.status, error: e.error || `HTTP ${answer.status}`, description: e.description }, answer.traceId ?? e.traceId);
    }
    if (answer.status !== 200) throw this.unexpectedStatus(call, answer);
    const body = this.parse(call, answer);
    const o = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    if (!o || typeof o.access_token !== 'string' || o.access_token.length === 0) {
      throw new IrohError(call, { kind: 'answer', status: answer.status, detail: 'no "access_token" string in the answer' }, answer.traceId);
    }
    this.options.protect(o.access_token);
    const scopes = typeof o.scope === 'string' ? o.scope.split(/\s+/).filter(Boolean) : [];
    return { accessToken: o.access_token, scopes, expiresIn: typeof o.expires_in === 'number' ? o.expires_in : null };
  }

  /** A bearer call; a 401 fetches a new token and tries once more (tokens can be revoked or cut short). */
  async call(method: 'GET' | 'POST', path: string, options: { query?: [string, string][]; body?: unknown; signal: AbortSignal }): Promise<IrohAnswer> {
    const call = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      const pending = this.accessToken(options.signal);
      const token = await pending;
      const answer = await this.send(call, method, path, {
        headers: {
          authorization: `Bearer ${token.accessToken}`,
          accept: 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.query ? { query: options.query } : {}),
        signal: options.signal,
      });
      if (answer.status === 401 && attempt === 0) {
        this.options.note?.('XDR API answered 401 to a fresh token; fetching a new one once', { call, traceId: answer.traceId });
        // Calls running side by side share the new token: only the first to see the 401 drops the old one.
        if (this.token === pending) this.token = null;
        continue;
      }
      if (answer.status === 401) {
        const e = normalizedError(answer.json);
        throw new IrohError(call, { kind: 'unauthorized', status: 401, error: e.error, description: e.description }, answer.traceId ?? e.traceId);
      }
      if (answer.status === 403) {
        const e = normalizedError(answer.json);
        throw new IrohError(call, { kind: 'forbidden', status: 403, error: e.error, description: e.description }, answer.traceId ?? e.traceId);
      }
      if (answer.status === 429) throw new IrohError(call, { kind: 'rate-limited', retryAfterSeconds: answer.retryAfter }, answer.traceId);
      // A failing status still counts when it carries IROH's `errors[]` envelope: the module's own message is in it.
      const envelope = typeof answer.json === 'object' && answer.json !== null && Array.isArray((answer.json as { errors?: unknown }).errors);
      if ((answer.status < 200 || answer.status >= 300) && !envelope) throw this.unexpectedStatus(call, answer);
      return { status: answer.status, json: this.parse(call, answer), traceId: answer.traceId };
    }
  }

  /**
   * Every item of a list call, page by page with offset/limit (the API states no default page
   * size, so one call is never assumed to be all); `extract` finds the list in each answer.
   */
  async list(path: string, signal: AbortSignal, extract: (json: unknown) => unknown[] | null, query: [string, string][] = []): Promise<unknown[]> {
    const { limit, maxPages } = this.options.api.paging;
    const items: unknown[] = [];
    for (let page = 0; page < maxPages; page++) {
      const answer = await this.call('GET', path, { query: [...query, ['offset', String(page * limit)], ['limit', String(limit)]], signal });
      const list = extract(answer.json);
      if (!list) throw new IrohError(`GET ${path}`, { kind: 'answer', status: answer.status, detail: 'the answer is not a list' }, answer.traceId);
      items.push(...list);
      if (list.length < limit) break;
    }
    return items;
  }

  private unexpectedStatus(call: string, answer: { status: number; json: unknown; text: string; contentType: string; traceId: string | null }): IrohError {
    const e = normalizedError(answer.json);
    const what = e.error ? `${e.error}${e.description ? `: ${e.description}` : ''}` : answer.contentType.includes('html') || /^\s*</.test(answer.text) ? 'an HTML page' : 'no error details';
    return new IrohError(call, { kind: 'answer', status: answer.status, detail: `HTTP ${answer.status} (${what})` }, answer.traceId ?? e.traceId);
  }

  /** The body as JSON, or an `answer` failure saying what it was instead. */
  private parse(call: string, answer: { status: number; text: string; contentType: string; traceId: string | null }): unknown {
    const fail = (detail: string) => new IrohError(call, { kind: 'answer', status: answer.status, detail }, answer.traceId);
    if (answer.contentType.includes('html') || /^\s*<(!doctype|html|\?xml|head|body)/i.test(answer.text)) throw fail(`HTTP ${answer.status} with an HTML page instead of JSON`);
    if (answer.text.trim() === '') throw fail(`HTTP ${answer.status} with an empty body instead of JSON`);
    const { maxDepth } = this.options.api.limits;
    if (jsonDepth(answer.text, maxDepth) > maxDepth) throw fail(`JSON nested deeper than ${maxDepth} levels`);
    try {
      return JSON.parse(answer.text);
    } catch (error) {
      throw fail(`not JSON (${(error as Error).message.slice(0, 120)})`);
    }
  }

  /** One HTTP exchange: no redirects followed, the body capped; the JSON is parsed when it looks like JSON. */
  private async send(
    call: string,
    method: 'GET' | 'POST',
    path: string,
    init: { headers: Record<string, string>; body?: string; query?: [string, string][]; signal: AbortSignal },
  ): Promise<{ status: number; text: string; json: unknown; contentType: string; traceId: string | null; retryAfter: number | null }> {
    const url = new URL(path.replace(/^\//, ''), this.options.base.href.endsWith('/') ? this.options.base : new URL(`${this.options.base.href}/`));
    for (const [k, v] of init.query ?? []) url.searchParams.append(k, v);
    let res: Dispatcher.ResponseData<unknown>;
    try {
      res = await request(url, {
        method,
        dispatcher: this.dispatcher,
        signal: init.signal,
        headers: { 'user-agent': USER_AGENT, ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
    } catch (error) {
      if (init.signal.aborted) throw error;
      const cause = ((error as { cause?: unknown }).cause ?? error) as NodeJS.ErrnoException;
      throw new IrohError(call, { kind: 'network', code: cause?.code ?? 'ERROR', detail: describeNetError(cause) }, null);
    }
    const headers = res.headers as Record<string, string | string[] | undefined>;
    const traceId = header(headers, 'x-trace-id') ?? header(headers, 'trace-id') ?? null;
    const contentType = (header(headers, 'content-type') ?? '').toLowerCase();
    if (res.statusCode >= 300 && res.statusCode < 400) {
      await res.body.dump().catch(() => undefined);
      const location = header(headers, 'location') ?? '';
      let where = 'no Location';
      try {
        where = location ? new URL(location, url).host : where;
      } catch {
        where = 'an unreadable Location';
      }
      throw new IrohError(call, { kind: 'answer', status: res.statusCode, detail: `HTTP ${res.statusCode} redirect to ${where}, not followed (the token never leaves ${url.host})` }, traceId);
    }
    const { maxBodyBytes } = this.options.api.limits;
    const declared = Number(header(headers, 'content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      res.body.destroy();
      throw new IrohError(call, { kind: 'answer', status: res.statusCode, detail: `answer of ${declared} bytes is over the ${maxBodyBytes}-byte limit` }, traceId);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > maxBodyBytes) {
          res.body.destroy();
          throw new IrohError(call, { kind: 'answer', status: res.statusCode, detail: `answer is over the ${maxBodyBytes}-byte limit` }, traceId);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof IrohError || init.signal.aborted) throw error;
      throw new IrohError(call, { kind: 'network', code: 'ECONNRESET', detail: describeNetError(error) }, traceId);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown = null;
    if (!contentType.includes('html') && /^\s*[[{]/.test(text) && jsonDepth(text, this.options.api.limits.maxDepth) <= this.options.api.limits.maxDepth) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    const bodyTrace = normalizedError(json).traceId;
    const trace = traceId ?? bodyTrace;
    if (trace) this.options.note?.('XDR API answer', { call, status: res.statusCode, traceId: trace });
    return { status: res.statusCode, text, json, contentType, traceId: trace, retryAfter: retryAfterSeconds(header(headers, 'retry-after')) };
  }
}
