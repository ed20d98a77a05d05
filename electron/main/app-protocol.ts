import fs from 'node:fs';
import { protocol } from 'electron';
import { APP_CONTENT_SECURITY_POLICY, SECURITY_HEADERS, contentTypeFor } from '../core/security/csp.js';
import { resolveStaticPath } from '../core/security/static-files.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'xet';

/** Must run before `app.ready`: `app://` behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

/** Serves the built renderer from `rendererDir` with the CSP; anything else under app:// is 404. */
export async function serveRenderer(request: Request, rendererDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
  const headers = { ...SECURITY_HEADERS, 'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY };
  const file = resolveStaticPath(rendererDir, url.pathname);
  if (!file) return new Response('Not found', { status: 404, headers });
  const body = await fs.promises.readFile(file);
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': contentTypeFor(file) } });
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRenderer(request, rendererDir));
}
