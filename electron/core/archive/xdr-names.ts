import type { Run } from '../../contract/checks.js';

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The SSE device and XDR module names the XDR checks of these runs recorded, for the archive to replace. */
export function xdrNames(runs: readonly Run[]): { devices: string[]; modules: string[] } {
  const devices: string[] = [];
  const modules: string[] = [];
  for (const run of runs) {
    for (const c of run.checks) {
      if (c.id === 'xdr-sse-device') devices.push(...strings(c.evidence['device.name']), ...strings(c.evidence.otherDevices));
      if (c.id === 'xdr-module') {
        modules.push(...strings(c.evidence.moduleNames));
        devices.push(...strings(c.evidence.boundDeviceNames));
      }
      if (c.id === 'xdr-module-health' || c.id === 'xdr-observe') modules.push(...strings(c.evidence.moduleNames));
    }
  }
  return { devices, modules };
}
