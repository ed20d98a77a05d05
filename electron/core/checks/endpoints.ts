import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RegionId } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import type { RegionsFile } from '../knowledge/regions.js';

/** The Cisco cloud endpoints a run probes, and which roots count as genuine for them. */
export interface Endpoints {
  /** `regions.json (eu)` or the endpoints file's path: shown in evidence and the report. */
  source: string;
  threatResponse: URL;
  ssePortal: URL;
  xdrPortal: URL;
  /** TAC's Customer eXperience Drive for archive uploads (endpoints file "cxd"); absent = https://cxd.cisco.com/. */
  cxd?: URL;
  /** The XDR/IROH API base per region (`visibility….amp.cisco.com`): the API-client checks call it, and ask the other regions' when a client is rejected. Null: regions.json's hosts. */
  xdrApi: Record<RegionId, URL> | null;
  /** PEM roots that replace the system roots as "genuine" (lab use); null = this computer's roots. */
  trustedCa: string | null;
}

const HttpsUrl = z
  .string()
  .max(2048)
  .refine(
    (s) => {
      try {
        return new URL(s).protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be an https:// URL' },
  );

const EndpointsFile = z
  .object({
    threatResponse: HttpsUrl,
    ssePortal: HttpsUrl,
    xdrPortal: HttpsUrl,
    cxd: HttpsUrl.optional(),
    /** One base URL for every region, or one per region. */
    xdrApi: z.union([HttpsUrl, z.object({ nam: HttpsUrl, eu: HttpsUrl, apjc: HttpsUrl }).strict()]).optional(),
    trustedCaFile: z.string().min(1).optional(),
  })
  .strict();

/** Each region's XDR API base from regions.json. */
export function regionXdrApis(regions: RegionsFile): Record<RegionId, URL> {
  return Object.fromEntries(regions.regions.map((r) => [r.id, new URL(`https://${r.xdrApi.host}/`)])) as Record<RegionId, URL>;
}

export function regionEndpoints(regions: RegionsFile, region: RegionId): Endpoints {
  const r = regions.regions.find((x) => x.id === region);
  if (!r) throw AppError.of('INVALID_REQUEST', 'errors.checks.unknownRegion', { region }, 'region');
  return {
    source: `regions.json (${region})`,
    threatResponse: new URL(`https://${r.threatResponseServer.host}/`),
    ssePortal: new URL(`https://${r.sseAdminPortal.host}/`),
    xdrPortal: new URL(`https://${r.xdrPortal.host}/`),
    xdrApi: regionXdrApis(regions),
    trustedCa: null,
  };
}

/**
 * Reads an endpoints file (`xet check --endpoints FILE`, lab use and tests): the region's cloud
 * endpoints replaced by these URLs, and `trustedCaFile` (relative to the file) as the only genuine root.
 */
export function readEndpointsFile(file: string): Endpoints {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw AppError.of('INVALID_REQUEST', 'errors.checks.endpointsUnreadable', { file, detail: (error as Error).message }, 'endpoints');
  }
  const parsed = EndpointsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw AppError.of('INVALID_REQUEST', 'errors.checks.endpointsInvalid', { file, path: issue.path.join('.') || '(root)', detail: issue.message }, 'endpoints');
  }
  let trustedCa: string | null = null;
  if (parsed.data.trustedCaFile) {
    const caPath = path.resolve(path.dirname(file), parsed.data.trustedCaFile);
    try {
      trustedCa = fs.readFileSync(caPath, 'utf8');
    } catch (error) {
      throw AppError.of('INVALID_REQUEST', 'errors.checks.endpointsCaUnreadable', { file, detail: (error as Error).message }, 'endpoints');
    }
    if (!trustedCa.includes('-----BEGIN CERTIFICATE-----')) throw AppError.of('INVALID_REQUEST', 'errors.checks.endpointsNoPem', { file, ca: caPath }, 'endpoints');
  }
  return {
    source: file,
    threatResponse: new URL(parsed.data.threatResponse),
    ssePortal: new URL(parsed.data.ssePortal),
    xdrPortal: new URL(parsed.data.xdrPortal),
    ...(parsed.data.cxd ? { cxd: new URL(parsed.data.cxd) } : {}),
    xdrApi: fileXdrApis(parsed.data.xdrApi),
    trustedCa,
  };
}

/** `"xdrApi"` of an endpoints file: one URL for all regions or one per region; absent = regions.json's hosts. */
function fileXdrApis(value: string | Record<RegionId, string> | undefined): Record<RegionId, URL> | null {
  if (typeof value === 'string') return { nam: new URL(value), eu: new URL(value), apjc: new URL(value) };
  if (value) return { nam: new URL(value.nam), eu: new URL(value.eu), apjc: new URL(value.apjc) };
  return null;
}
