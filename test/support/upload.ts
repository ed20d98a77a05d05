import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { startCxd, type CxdMode, type CxdOptions, type CxdStandIn } from '../fixtures/simulator/cxd.js';
import type { Simulator } from '../fixtures/simulator/simulator.js';
import { tempDir } from './temp.js';

/** A CXD stand-in beside a simulator (same cloud CA) and an endpoints file that points "cxd" at it. */
export async function cxdBeside(sim: Simulator, mode: CxdMode, options: Omit<CxdOptions, 'mode' | 'issuer'> = {}): Promise<{ cxd: CxdStandIn; endpointsFile: string }> {
  const cxd = await startCxd({ ...options, mode, issuer: sim.cloud.genuineRoot });
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'root.pem'), sim.cloud.genuineRoot.certPem);
  const endpointsFile = path.join(dir, 'endpoints.json');
  const base = `https://127.0.0.1:${sim.cloud.port}`;
  fs.writeFileSync(endpointsFile, JSON.stringify({ threatResponse: `${base}/`, ssePortal: `${base}/sse/`, xdrPortal: `${base}/xdr/`, cxd: cxd.url, trustedCaFile: 'root.pem' }));
  return { cxd, endpointsFile };
}

/** A real CONNECT proxy on loopback that records the tunnels it was asked for. */
export async function connectProxy(options: { requireAuth?: string } = {}) {
  const seen: { target: string; auth: string | undefined }[] = [];
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    if (options.requireAuth && req.headers['proxy-authorization'] !== options.requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
