import fs from 'node:fs';
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
