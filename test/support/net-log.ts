import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './web-host-process.js';

/** The preload that logs every outbound attempt of a Node process (test/fixtures/hardening/net-log.mjs). */
export const NET_LOG_PRELOAD = path.join(ROOT, 'test', 'fixtures', 'hardening', 'net-log.mjs');

export interface NetAttempt {
  /**
   * tcp (net.Socket#connect, which tls, http(s), undici and fetch use), dns, udp, ipc (a local socket
   * path), or listen (a server's bind address and its lookup: not a contact, kept to check the bind).
   */
  kind: 'tcp' | 'dns' | 'udp' | 'ipc' | 'listen';
  via: string;
  host: string | null;
  port: number | null;
  pid: number;
}

/**
 * Environment for a child Node process that appends its every connection, DNS query and datagram
 * to `file`. Proxy variables are cleared so only what the test configures is in force.
 */
export function netLogEnv(file: string): Record<string, string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
  const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
  return {
    NODE_OPTIONS: `${inherited}--import=${pathToFileURL(NET_LOG_PRELOAD).href}`,
    XET_NET_LOG: file,
    HTTPS_PROXY: '',
    https_proxy: '',
    HTTP_PROXY: '',
    http_proxy: '',
    NO_PROXY: '',
    no_proxy: '',
  };
}

/** The outbound attempts logged so far, from line `from` on (the count of an earlier read marks a phase). */
export function readNetLog(file: string, from = 0): NetAttempt[] {
  return readNetLogAll(file).filter((a) => a.kind !== 'listen').slice(from);
}

/** Everything logged, binds included. */
export function readNetLogAll(file: string): NetAttempt[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as NetAttempt);
}

/** The distinct host names and addresses the attempts went to (DNS questions count as contacts). */
export function contactedHosts(attempts: NetAttempt[]): string[] {
  return [...new Set(attempts.map((a) => (a.host ?? '').replace(/^\[|\]$/g, '').toLowerCase()))].sort();
}
