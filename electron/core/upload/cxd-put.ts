import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { connectTunnel, type ProxyConfig } from '../checks/proxy.js';
import { describeNetError } from '../checks/probes/probe.js';

/** Where one file goes and how: the file's URL on CXD, the roots that count as genuine, the proxy. */
export interface PutTarget {
  url: URL;
  /** PEM roots from the endpoints file; null = Node's bundled roots (plus NODE_EXTRA_CA_CERTS). */
  ca: string | null;
  proxy: ProxyConfig | null;
  /** `Basic …` of case number and token: registered with the redactor by the caller. */
  authorization: string;
  userAgent: string;
}

export interface PutOptions {
  file: string;
  bytes: number;
  /** No byte accepted (nor any answer) for this long: the attempt fails as stalled. */
  stallMs: number;
  /** How long to wait for `100 Continue` before sending anyway (servers that ignore Expect). */
  continueTimeoutMs: number;
  signal: AbortSignal;
  onStage(stage: 'connecting' | 'sending' | 'waiting'): void;
  /** Bytes of the body the connection accepted so far. */
  onBytes(bytes: number): void;
}

export type PutOutcome =
  | { kind: 'status'; status: number; sent: number; sha256: string | null }
  | { kind: 'network'; detail: string; sent: number }
  | { kind: 'stall'; sent: number }
  | { kind: 'cancelled'; sent: number };

/** Chunks read from disk; with the socket's own buffer this bounds memory whatever the file size. */
const CHUNK = 256 * 1024;

/** A TLS connection to the target, through a CONNECT tunnel when a proxy is set. */
async function openSocket(target: PutTarget, signal: AbortSignal): Promise<tls.TLSSocket> {
  const host = target.url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.url.port) || 443;
  const tunnel = target.proxy ? await connectTunnel(target.proxy, host, port, signal) : undefined;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(tunnel ? { socket: tunnel } : {}),
      // SNI takes names only; the certificate is still checked against the IP address.
      ...(net.isIP(host) ? {} : { servername: host }),
      ...(target.ca ? { ca: target.ca } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    const onAbort = () => socket.destroy(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      tunnel?.destroy();
      reject(error);
    });
  });
}

/**
 * One attempt: PUT the whole file, streamed from disk. Headers go first with `Expect: 100-continue`,
 * so a wrong case number or token is answered before any body byte is sent; the body follows on
 * `100 Continue` (or after `continueTimeoutMs` from a server that never sends one). Never throws:
 * the outcome says what happened, and the caller decides whether to try again.
 */
export async function putFile(target: PutTarget, options: PutOptions): Promise<PutOutcome> {
  let sent = 0;
  let last = Date.now();
  const touch = () => (last = Date.now());
  const connectAbort = new AbortController();
  const onOuterAbort = () => connectAbort.abort();
  options.signal.addEventListener('abort', onOuterAbort, { once: true });
  // The stall bound covers the connection too: a proxy or server that never answers is cut as well.
  let timedOut = false;
  const connectTimer = setTimeout(() => {
    timedOut = true;
    connectAbort.abort();
  }, options.stallMs);
  options.onStage('connecting');
  let socket: tls.TLSSocket;
  try {
    socket = await openSocket(target, connectAbort.signal);
  } catch (error) {
    options.signal.removeEventListener('abort', onOuterAbort);
    if (options.signal.aborted) return { kind: 'cancelled', sent };
    if (timedOut) return { kind: 'stall', sent };
    const viaProxy = (error as { viaProxy?: string }).viaProxy;
    return { kind: 'network', detail: `${describeNetError(error)}${viaProxy ? ` (proxy ${viaProxy})` : ''}`, sent };
  } finally {
    clearTimeout(connectTimer);
  }
  touch();

  return new Promise<PutOutcome>((resolve) => {
    const hash = createHash('sha256');
    let stream: fs.ReadStream | null = null;
    let settled = false;
    let sending = false;
    const finish = (outcome: PutOutcome) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      clearTimeout(continueTimer);
      options.signal.removeEventListener('abort', onAbort);
      options.signal.removeEventListener('abort', onOuterAbort);
      stream?.destroy();
      request.destroy();
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ kind: 'cancelled', sent });
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();

    const request = http.request({
      method: 'PUT',
      host: target.url.hostname,
      port: Number(target.url.port) || 443,
      path: `${target.url.pathname}${target.url.search}`,
      createConnection: () => socket,
      headers: {
        Host: target.url.host,
        Authorization: target.authorization,
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(options.bytes),
        Expect: '100-continue',
        'User-Agent': target.userAgent,
      },
    });
    const sendBody = () => {
      if (sending || settled) return;
      sending = true;
      clearTimeout(continueTimer);
      options.onStage('sending');
      stream = fs.createReadStream(options.file, { highWaterMark: CHUNK });
      stream.on('data', (chunk) => {
        const data = chunk as Buffer;
        hash.update(data);
        const more = request.write(data, () => {
          sent += data.length;
          touch();
          options.onBytes(sent);
        });
        if (!more) {
          stream!.pause();
          request.once('drain', () => stream?.resume());
        }
      });
      stream.once('end', () => {
        request.end();
        options.onStage('waiting');
      });
      stream.once('error', (error) => finish({ kind: 'network', detail: `reading the file: ${describeNetError(error)}`, sent }));
    };
    const continueTimer = setTimeout(sendBody, options.continueTimeoutMs);
    request.on('continue', () => {
      touch();
      sendBody();
    });
    request.on('response', (response) => {
      touch();
      const status = response.statusCode ?? 0;
      // An answer before the body was sent (401 after Expect) or in its middle (413): stop sending.
      stream?.destroy();
      let drained = 0;
      response.on('data', (chunk: Buffer) => {
        touch();
        drained += chunk.length;
        if (drained > 64 * 1024) response.destroy();
      });
      const done = () => {
        if (!settled) finish({ kind: 'status', status, sent, sha256: sending && sent === options.bytes ? hash.digest('hex') : null });
      };
      response.once('end', done);
      response.once('close', done);
      response.once('error', done);
    });
    request.on('error', (error) => finish({ kind: 'network', detail: describeNetError(error), sent }));
    request.flushHeaders();
    const watchdog = setInterval(
      () => {
        if (Date.now() - last > options.stallMs) finish({ kind: 'stall', sent });
      },
      Math.max(50, Math.min(1000, options.stallMs / 4)),
    );
  });
}
