import path from 'node:path';
import { z } from 'zod';
import { readResourceFile } from './resource-file.js';

const HostRef = z.object({ host: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/), confirmed: z.boolean() });

export const RegionsFile = z.object({
  schemaVersion: z.literal(1),
  note: z.string().optional(),
  regions: z
    .array(
      z.object({
        id: z.enum(['nam', 'eu', 'apjc']),
        label: z.object({ en: z.string().min(1), de: z.string().min(1) }),
        sseAdminPortal: HostRef,
        xdrPortal: HostRef,
        threatResponseServer: HostRef,
        xdrApi: HostRef,
      }),
    )
    .length(3),
  supportHosts: z.array(z.object({ host: z.string().min(1), purpose: z.string() })),
});
export type RegionsFile = z.infer<typeof RegionsFile>;

/** Loads and validates `resources/regions.json`; a broken file names the path that is wrong. */
export function loadRegions(resourcesDir: string): RegionsFile {
  return readResourceFile(path.join(resourcesDir, 'regions.json'), RegionsFile);
}

/** Hosts the desktop app may hand to the system browser: the portals of every region and TAC's upload sites. */
export function externalHostAllowList(regions: RegionsFile): Set<string> {
  const hosts = new Set<string>();
  for (const r of regions.regions) {
    hosts.add(r.sseAdminPortal.host);
    hosts.add(r.xdrPortal.host);
  }
  for (const s of regions.supportHosts) hosts.add(s.host);
  return hosts;
}

/** https only, exact host from the allow-list, no credentials, default port. */
export function isAllowedExternalUrl(raw: string, allowList: ReadonlySet<string>): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '' && allowList.has(url.hostname);
}
