import http from 'node:http';
import net from 'node:net';

/**
 * HTTP below the client library, for attacks a well-behaved client cannot make: a request head
 * sent a byte at a time, a body that stalls or trickles, a head too large or not HTTP at all.
 */

export interface RawConnection {
  socket: net.Socket;
  /** What the server sent back so far. */
  received: () => string;
  /** Milliseconds from connect to the server closing it; Infinity when `withinMs` passed first. */
  closed: (withinMs: number) => Promise<number>;
  isOpen: () => boolean;
  stop: () => void;
}

/**
 * Connects, sends `head` (and `body`) at once, then, when `trickle` is given, one more byte of it
 * every `everyMs` until the server closes the connection.
 */
export function rawConnection(port: number, opts: { head: string; body?: string; trickle?: string; everyMs?: number }): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    let open = true;
    const started = Date.now();
    let closedAt = 0;
    const waiters: (() => void)[] = [];
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      open = false;
      closedAt = Date.now();
      clearInterval(timer);
      for (const w of waiters.splice(0)) w();
    });
    socket.once('connect', () => {
      socket.write(opts.head + (opts.body ?? ''));
      if (opts.trickle !== undefined) {
        let i = 0;
        timer = setInterval(() => {
          if (open) socket.write(opts.trickle![i++ % opts.trickle!.length]!);
        }, opts.everyMs ?? 300);
      }
      resolve({
        socket,
        received: () => data,
        isOpen: () => open,
        closed: (withinMs) =>
          new Promise<number>((done) => {
            if (!open) return done(closedAt - started);
            const limit = setTimeout(() => done(Infinity), withinMs);
            waiters.push(() => {
              clearTimeout(limit);
              done(closedAt - started);
            });
          }),
        stop: () => {
          clearInterval(timer);
          socket.destroy();
        },
      });
    });
    socket.once('error', reject);
  });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A raw HTTP request on its own connection (no pooling), so tests control every header (fetch would
 * set Host and Origin itself) and many requests are really concurrent.
 */
export function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, agent: false, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => readReply(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A response read whole as text. */
export function readReply(res: http.IncomingMessage): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    res.on('error', reject);
  });
}
