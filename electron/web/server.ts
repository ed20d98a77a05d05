import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fail, ok, type ContractError, type ErrorCode } from '../contract/result.js';
import type { RendererDispatcher } from '../core/dispatcher.js';
import { AppError } from '../core/errors.js';
import type { ArchiveService } from '../core/archive/archive-service.js';
import type { HarService } from '../core/har/har-service.js';
import type { LogsService } from '../core/appliance-logs/logs-service.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logging/logger.js';
import { SECURITY_HEADERS, contentTypeFor } from '../core/security/csp.js';
import { resolveStaticPath } from '../core/security/static-files.js';

export interface WebHostOptions {
  dispatcher: RendererDispatcher;
  bus: EventBus;
  log: Logger;
  /** Folder with the built renderer (`dist/renderer`). */
  staticDir: string;
  port?: number;
  /** Defaults to a fresh 256-bit random token per launch. */
  token?: string;
  maxBodyBytes?: number;
  heartbeatMs?: number;
  /** HAR uploads and downloads (`/files/har`); without it those routes answer 404. */
  har?: Pick<HarService, 'reserve' | 'adopt' | 'release' | 'sanitizedFile'>;
  /** Support archive downloads (`/files/archive/<id>[?part=N]`); without it that route answers 404. */
  archive?: Pick<ArchiveService, 'file'>;
  /** Hand-downloaded appliance log uploads (`/files/appliance-log`), kept encrypted; without it that route answers 404. */
  logs?: Pick<LogsService, 'importStream'>;
  /** Largest HAR upload (default 4 GiB). */
  maxUploadBytes?: number;
  /** A request body (or upload) that sends nothing for this long is cut off (default 30 s). */
  idleMs?: number;
  /** A client must send its whole request head within this (default 10 s), however slowly it trickles. */
  headersTimeoutMs?: number;
  /** A command's body (at most maxBodyBytes) must arrive whole within this (default 10 s), however slowly it trickles. */
  commandBodyMs?: number;
}

export interface WebHost {
  url: string;
  /** Open this once: it trades the token for a session cookie and redirects to the app. */
  launchUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOSTS = ['127.0.0.1', 'localhost'];

/**
 * Serves the renderer and the contract on 127.0.0.1 only. Every request needs the per-launch
 * token (session cookie from the launch URL, or `Authorization: Bearer`); Host and Origin must
 * name this very server, which defeats DNS rebinding and cross-site requests.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const maxUpload = options.maxUploadBytes ?? 4 * 2 ** 30;
  const idleMs = options.idleMs ?? 30_000;
  const commandBodyMs = options.commandBodyMs ?? 10_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const { dispatcher, bus, log, staticDir } = options;
  const streams = new Set<http.ServerResponse>();
  let port = 0;
  const cookieName = () => `xet_session_${port}`;

  // Node enforces headersTimeout only when it sweeps its connections, every 30 s by default: a
  // slow-loris client would hold its socket up to 40 s instead of 10.
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('web host request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) refuse(res, 400, 'INVALID_REQUEST', 'Bad request');
      else res.destroy();
    });
  });
  // Slow-loris and idle-connection bounds. No whole-request deadline: a 4 GB upload takes minutes.
  // Instead a body must keep arriving (idle timeout per socket), and /api bodies, which are small,
  // must arrive whole within commandBodyMs (readBody). The event stream turns the idle timeout off.
  server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.requestTimeout = 0;
  server.timeout = idleMs;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 64;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = requestTarget(req.url);
    if (!url) return refuse(res, 400, 'INVALID_REQUEST', 'The request target must be a path');
    if (!hostAllowed(req.headers.host)) return refuse(res, 421, 'FORBIDDEN', 'Host header does not name this server');
    if (!originAllowed(req.headers.origin)) return refuse(res, 403, 'FORBIDDEN', 'Cross-origin request refused');
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      return refuse(res, 403, 'FORBIDDEN', 'Cross-site request refused');
    }

    if (url.pathname === '/launch') {
      if (req.method !== 'GET' || !tokenMatches(url.searchParams.get('token'))) {
        return refuse(res, 401, 'UNAUTHORIZED', 'Invalid or missing launch token');
      }
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }

    if (!authenticated(req)) return refuse(res, 401, 'UNAUTHORIZED', 'Missing or invalid session token');

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return refuse(res, 405, 'INVALID_REQUEST', 'Use GET for the event stream');
      req.socket?.setTimeout(0);
      return openEventStream(res);
    }
    if (url.pathname === '/files/har') return uploadHar(req, res, url);
    if (url.pathname === '/files/appliance-log') return uploadLog(req, res, url);
    const download = /^\/files\/har\/([a-f0-9]{16})$/.exec(url.pathname);
    if (download) return downloadHar(req, res, download[1]!);
    const archive = /^\/files\/archive\/([a-f0-9]{16})$/.exec(url.pathname);
    if (archive) return downloadArchive(req, res, archive[1]!, url.searchParams.get('part'));
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'INVALID_REQUEST', 'Use POST for commands');
      if (refusedType(req, res, 'application/json')) return;
      const body = await readBody(req, maxBody, commandBodyMs);
      if (body === 'too-large') return refuse(res, 413, 'TOO_LARGE', `Request body exceeds ${maxBody} bytes`);
      // Cut off (a body trickled a byte at a time would otherwise hold the socket for ever): nobody to answer.
      if (body === 'too-slow') return;
      // The idle bound is for a client that stops sending; a command may take long to answer.
      req.socket?.setTimeout(0);
      let payload: unknown;
      try {
        payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch (error) {
        // Only the position: V8's message quotes the body, which may hold a password.
        const at = /position (\d+)/.exec((error as Error).message)?.[1];
        return refuse(res, 400, 'INVALID_REQUEST', `Request body is not valid JSON${at === undefined ? '' : ` (at byte ${at})`}`);
      }
      const result = await dispatcher.dispatch(url.pathname.slice('/api/'.length), payload);
      return sendJson(res, 200, result);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'INVALID_REQUEST', 'Method not allowed');
    const file = resolveStaticPath(staticDir, url.pathname);
    if (!file) return refuse(res, 404, 'NOT_FOUND', 'Not found');
    const data = await fs.promises.readFile(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeFor(file),
      'Content-Length': data.length,
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  /**
   * The browser cannot hand the core a path, so it streams the file here: straight to a private
   * temp file in the data folder (never held in memory), then validated; the answer is the contract's
   * Result with the new HAR file, or the located import error. Nothing is kept when it fails.
   */
  async function uploadHar(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const har = options.har;
    if (!har) return refuse(res, 404, 'NOT_FOUND', 'Not found');
    if (req.method !== 'POST') return refuse(res, 405, 'INVALID_REQUEST', 'Use POST to upload a HAR file');
    if (refusedType(req, res, 'application/octet-stream')) return;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxUpload) return refuseAndClose(res, 413, 'TOO_LARGE', `A HAR upload can be at most ${maxUpload} bytes`);
    const name = (url.searchParams.get('name') ?? 'capture.har').slice(0, 260);
    const { id, file } = await har.reserve(name);
    let size = 0;
    let tooLarge = false;
    const cap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxUpload) {
          tooLarge = true;
          done(new Error('upload too large'));
        } else done(null, chunk);
      },
    });
    try {
      await pipeline(req, cap, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    } catch {
      await har.release(id);
      if (tooLarge) return refuseAndClose(res, 413, 'TOO_LARGE', `A HAR upload can be at most ${maxUpload} bytes`);
      res.destroy();
      return;
    }
    // Validating a large file takes a while with nothing on the wire.
    req.socket?.setTimeout(0);
    try {
      return sendJson(res, 200, ok(await har.adopt(id, file)));
    } catch (error) {
      if (error instanceof AppError) return sendJson(res, 200, fail(error.code, error.message, error.field, error.key ? { key: error.key, params: error.params } : undefined));
      throw error;
    }
  }

  /**
   * A hand-downloaded appliance log: streamed from the request straight into an encrypted spool
   * (the plaintext never touches the disk); an archive cleans it later with its own pseudonym key.
   */
  async function uploadLog(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const logs = options.logs;
    if (!logs) return refuse(res, 404, 'NOT_FOUND', 'Not found');
    if (req.method !== 'POST') return refuse(res, 405, 'INVALID_REQUEST', 'Use POST to upload a log file');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/octet-stream') return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/octet-stream');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxUpload) return refuseAndClose(res, 413, 'TOO_LARGE', `A log upload can be at most ${maxUpload} bytes`);
    const name = (url.searchParams.get('name') ?? 'appliance.log').slice(0, 260);
    try {
      return sendJson(res, 200, ok(await logs.importStream(name, req, maxUpload)));
    } catch (error) {
      if (error instanceof AppError) return refuseAndClose(res, error.code === 'TOO_LARGE' ? 413 : 400, error.code, error.message);
      res.destroy();
    }
  }

  /** The sanitised copy of the last review, as an attachment. */
  async function downloadHar(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    const har = options.har;
    if (!har) return refuse(res, 404, 'NOT_FOUND', 'Not found');
    if (req.method !== 'GET') return refuse(res, 405, 'INVALID_REQUEST', 'Use GET to download');
    const found = findOrRefuse(res, () => har.sanitizedFile(id));
    if (!found) return;
    await sendAttachment(res, found.path, found.name, 'application/json');
  }

  /**
   * A built support archive (encrypted; nothing else ever sits under tmp/archives) as an attachment
   * under its own name. `part` counts from 1 like the parts' `.001` suffixes; without it, the first file.
   */
  async function downloadArchive(req: http.IncomingMessage, res: http.ServerResponse, id: string, part: string | null): Promise<void> {
    const archive = options.archive;
    if (!archive) return refuse(res, 404, 'NOT_FOUND', 'Not found');
    if (req.method !== 'GET') return refuse(res, 405, 'INVALID_REQUEST', 'Use GET to download');
    if (part !== null && !/^[1-9]\d{0,3}$/.test(part)) return refuse(res, 400, 'INVALID_REQUEST', 'part must be a part number from 1');
    const found = findOrRefuse(res, () => archive.file(id, part === null ? 0 : Number(part) - 1));
    if (!found) return;
    await sendAttachment(res, found.path, found.name, 'application/octet-stream');
  }

  /** Refuses (415) a request whose Content-Type is not `expected`; true when it did. */
  function refusedType(req: http.IncomingMessage, res: http.ServerResponse, expected: string): boolean {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type === expected) return false;
    refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${expected}`);
    return true;
  }

  /** A file to send, or the refusal for the core's reason (404 when it is not there, 409 when it is not ready); undefined once refused. */
  function findOrRefuse(res: http.ServerResponse, find: () => { path: string; name: string }): { path: string; name: string } | undefined {
    try {
      return find();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refuse(res, error.code === 'NOT_FOUND' ? 404 : 409, error.code, error.message);
      return undefined;
    }
  }

  async function sendAttachment(res: http.ServerResponse, file: string, name: string, type: string): Promise<void> {
    const stat = await fs.promises.stat(file);
    const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Length': stat.size,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'no-store',
    });
    await pipeline(fs.createReadStream(file), res);
  }

  function openEventStream(res: http.ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    // Between the stream's end (the host stopping) and its 'close', an event may still come: dropped, not written.
    const send = (text: string) => {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    };
    const unsubscribe = bus.subscribe((name, payload) => send(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`));
    const beat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
    beat.unref();
    res.on('close', () => {
      clearInterval(beat);
      unsubscribe();
      streams.delete(res);
    });
  }

  function hostAllowed(host: string | undefined): boolean {
    return host !== undefined && HOSTS.some((h) => host === `${h}:${port}`);
  }

  function originAllowed(origin: string | undefined): boolean {
    return origin === undefined || HOSTS.some((h) => origin === `http://${h}:${port}`);
  }

  function tokenMatches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  function authenticated(req: http.IncomingMessage): boolean {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && tokenMatches(auth.slice(7))) return true;
    const cookies = req.headers.cookie?.split(';').map((c) => c.trim()) ?? [];
    const prefix = `${cookieName()}=`;
    return cookies.some((c) => c.startsWith(prefix) && tokenMatches(c.slice(prefix.length)));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  log.info('web host listening', { url: base });

  return {
    url: `${base}/`,
    launchUrl: `${base}/launch?token=${token}`,
    port,
    token,
    async close() {
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The request's path and query. Only origin-form targets (`/path?query`): parsed relative to a
 * base, `//evil.example/api/x` would be a host and a path, and `//` would not parse at all.
 */
function requestTarget(raw: string | undefined): URL | null {
  if (raw === undefined || !raw.startsWith('/')) return null;
  try {
    return new URL(`http://127.0.0.1${raw}`);
  } catch {
    return null;
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': data.length,
    'Cache-Control': 'no-store',
  });
  res.end(data);
}

/** Refuses and closes the connection, so an unread body is not drained. */
function refuseAndClose(res: http.ServerResponse, status: number, code: ErrorCode, message: string): void {
  res.setHeader('Connection', 'close');
  refuse(res, status, code, message);
  res.on('finish', () => res.socket?.destroySoon());
}

function refuse(res: http.ServerResponse, status: number, code: ErrorCode, message: string): void {
  const error: ContractError = { code, message };
  sendJson(res, status, { ok: false, error });
}

/**
 * Reads the body up to `limit` bytes within `deadlineMs`: 'too-large' (the rest discarded) when it
 * is larger, 'too-slow' (the connection cut) when it has not arrived whole by then.
 */
async function readBody(req: http.IncomingMessage, limit: number, deadlineMs: number): Promise<Buffer | 'too-large' | 'too-slow'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let late = false;
  const deadline = setTimeout(() => {
    late = true;
    req.destroy();
  }, deadlineMs);
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        return 'too-large';
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (late) return 'too-slow';
    throw error;
  } finally {
    clearTimeout(deadline);
  }
  return late ? 'too-slow' : Buffer.concat(chunks);
}
