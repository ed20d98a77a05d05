import http from 'node:http';
import type tls from 'node:tls';
import type { Profile } from '../../contract/profiles.js';
import { ApiConnections, isStale, StaleConnection } from '../checks/probes/api-connections.js';
import { connectTls } from '../checks/probes/asyncos.js';
import { describeCertificate } from '../checks/probes/certificates.js';
import type { ApiSession } from '../checks/probes/probe.js';
import { field, type LogCatalog } from './log-catalog.js';

export interface ApiSubscription {
  name: string;
  type: string;
  retrieval: string | null;
}

export interface ApiLogFile {
  name: string;
  /** Bytes the listing claims (null when it gave none). */
  size: number | null;
  modified: string | null;
  downloadUrl: string | null;
}

export interface LogApiAnswer<T> {
  ok: true;
  value: T;
  /** Which field-name variants matched (evidence for the report). */
  matched: string[];
}

export interface LogApiRefusal {
  ok: false;
  status: number;
  message: string;
}

const MAX_LISTING = 4 * 1024 * 1024;

/**
 * The AsyncOS log API over the profile's HTTPS address and trust, with Basic authentication. A
 * connection is opened by connectTls, which verifies it (pinned fingerprint or CA) before a byte of
 * the request, and so before the credentials, is written; once an answer has been read whole, the
 * connection serves the next request (HTTP/1.1 keep-alive, one handshake for a whole listing
 * instead of one per subscription). A kept one the appliance dropped as a request went out is
 * replaced once by a fresh, verified one. `close()` ends whatever is still open.
 */
export class LogApi {
  readonly base: URL;
  private readonly session: Pick<ApiSession, 'tls'>;
  private readonly paths: LogCatalog['api']['esa'];
  /** The names in the certificate the appliance presented (CN and DNS names): its own host names. */
  readonly certificateNames = new Set<string>();
  private readonly connections = new ApiConnections();

  constructor(
    profile: Profile,
    private readonly basic: string,
    private readonly catalog: LogCatalog,
    private readonly signal: AbortSignal,
  ) {
    const host = profile.host.includes(':') ? `[${profile.host}]` : profile.host;
    this.base = new URL(`https://${host}:${profile.httpsPort}/`);
    const t = profile.trust;
    this.session = { tls: t.mode === 'pin' ? { pin: t.sha256 } : t.mode === 'ca' ? { ca: t.pem } : {} };
    this.paths = catalog.api[profile.kind === 'sma' ? 'sma' : 'esa'];
  }

  /** Whether a listed download URL is this very API (same scheme, host and port, so the same trust). */
  sameOrigin(raw: string): URL | null {
    let url: URL;
    try {
      url = new URL(raw, this.base);
    } catch {
      return null;
    }
    if (url.protocol !== 'https:' || url.username || url.password) return null;
    if (url.hostname.toLowerCase() !== this.base.hostname.toLowerCase() || (url.port || '443') !== (this.base.port || '443')) return null;
    return url;
  }

  /** Ends the kept connections; a request after this opens (and verifies) a new one, kept no longer. */
  close(): void {
    this.connections.close();
  }

  private async connect(): Promise<tls.TLSSocket> {
    const socket: tls.TLSSocket = await connectTls({ session: { ...this.session, base: this.base, jwt: null, basic: null, user: '' }, signal: this.signal }, this.base);
    // The legacy form on purpose: getPeerX509Certificate answers only once per connection.
    const cert = socket.getPeerCertificate();
    if (cert?.raw) {
      const facts = describeCertificate(cert.raw);
      this.certificateNames.add(facts.subjectName);
      for (const n of facts.subjectAltNames) if (n.startsWith('DNS:')) this.certificateNames.add(n.slice(4));
    }
    return socket;
  }

  private request(pathAndQuery: string): Promise<http.IncomingMessage> {
    return this.connections.request(this.signal, () => this.connect(), (socket, reused) => this.send(pathAndQuery, socket, reused));
  }

  private send(pathAndQuery: string, socket: tls.TLSSocket, reused: boolean): Promise<http.IncomingMessage> {
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      let answered = false;
      const req = http.request(
        {
          host: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: Number(this.base.port),
          method: 'GET',
          path: pathAndQuery,
          signal: this.signal,
          headers: { Accept: 'application/json, */*', 'User-Agent': 'xet-troubleshooter', Authorization: `Basic ${this.basic}`, Connection: 'keep-alive' },
          createConnection: () => socket,
        },
        (res) => {
          answered = true;
          resolve(res);
        },
      );
      // Emitted once the answer was read whole and both sides keep the connection open.
      socket.once('free', () => this.connections.give(socket));
      req.on('error', (error) => {
        socket.destroy();
        reject(reused && !answered && isStale(error) ? new StaleConnection(error) : error);
      });
      req.end();
    });
  }

  private async json(pathAndQuery: string): Promise<{ status: number; body: unknown }> {
    const res = await this.request(pathAndQuery);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_LISTING) {
        res.destroy();
        return { status: res.statusCode ?? 0, body: 'listing larger than 4 MiB' };
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return { status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null };
    } catch {
      return { status: res.statusCode ?? 0, body: text.slice(0, 120) };
    }
  }

  private refusal(status: number, body: unknown): LogApiRefusal {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    return { ok: false, status, message: typeof message === 'string' ? message : typeof body === 'string' ? body : 'unexpected answer' };
  }

  async subscriptions(): Promise<LogApiAnswer<ApiSubscription[]> | LogApiRefusal> {
    const a = await this.json(this.paths.subscriptions);
    const data = (a.body as { data?: unknown } | null)?.data;
    if (a.status !== 200 || !Array.isArray(data)) return this.refusal(a.status, a.body);
    const f = this.catalog.fields.subscription;
    const matched = new Set<string>();
    const out: ApiSubscription[] = [];
    for (const item of data) {
      if (!item || typeof item !== 'object') continue;
      const r = item as Record<string, unknown>;
      const name = field(r, f.name);
      if (typeof name.value !== 'string' || !/^[\w.-]{1,128}$/.test(name.value)) continue;
      const type = field(r, f.type);
      const retrieval = field(r, f.retrieval);
      for (const m of [name.matched, type.matched, retrieval.matched]) if (m) matched.add(m);
      out.push({ name: name.value, type: typeof type.value === 'string' ? type.value : '', retrieval: typeof retrieval.value === 'string' ? retrieval.value : null });
    }
    return { ok: true, value: out, matched: [...matched] };
  }

  async files(subscription: string, window: { from: number; to: number }): Promise<LogApiAnswer<ApiLogFile[]> | LogApiRefusal> {
    const q = this.catalog.api.query;
    const query = `?${q.start}=${encodeURIComponent(new Date(window.from).toISOString())}&${q.end}=${encodeURIComponent(new Date(window.to).toISOString())}`;
    const a = await this.json(`${this.paths.files.replace('{subscription}', encodeURIComponent(subscription))}${query}`);
    const data = (a.body as { data?: unknown } | null)?.data;
    if (a.status !== 200 || !Array.isArray(data)) return this.refusal(a.status, a.body);
    const f = this.catalog.fields.file;
    const matched = new Set<string>();
    const out: ApiLogFile[] = [];
    for (const item of data.slice(0, this.catalog.limits.maxFilesPerSubscription)) {
      if (!item || typeof item !== 'object') continue;
      const r = item as Record<string, unknown>;
      const name = field(r, f.name);
      // A file name is one path segment: anything else could walk out of appliance-logs/<subscription>/.
      if (typeof name.value !== 'string' || !/^[\w@.-]{1,200}$/.test(name.value) || /^\.\.?$/.test(name.value)) continue;
      const size = field(r, f.size);
      const modified = field(r, f.modified);
      const url = field(r, f.downloadUrl);
      for (const m of [name.matched, size.matched, modified.matched, url.matched]) if (m) matched.add(m);
      const n = typeof size.value === 'number' ? size.value : typeof size.value === 'string' && /^\d+$/.test(size.value) ? Number(size.value) : null;
      out.push({ name: name.value, size: n, modified: typeof modified.value === 'string' ? modified.value : null, downloadUrl: typeof url.value === 'string' ? url.value : null });
    }
    return { ok: true, value: out, matched: [...matched] };
  }

  /** The download path of a listed file: its URL when that is this API, else the documented path. Null: a foreign URL. */
  downloadPath(subscription: string, file: ApiLogFile): string | null {
    if (file.downloadUrl) {
      const url = this.sameOrigin(file.downloadUrl);
      return url ? `${url.pathname}${url.search}` : null;
    }
    return this.paths.download.replace('{subscription}', encodeURIComponent(subscription)).replace('{file}', encodeURIComponent(file.name));
  }

  async download(pathAndQuery: string): Promise<{ status: number; body: http.IncomingMessage }> {
    const res = await this.request(pathAndQuery);
    return { status: res.statusCode ?? 0, body: res };
  }
}
