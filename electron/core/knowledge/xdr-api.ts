import path from 'node:path';
import { z } from 'zod';
import { readResourceFile } from './resource-file.js';

const Text = z.object({ en: z.string().min(1), de: z.string().min(1) }).strict();
const ApiPath = z.string().regex(/^\/[A-Za-z0-9/_{}.-]+$/);
const Names = z.array(z.string().min(1)).min(1);
const Scope = z.object({ scope: z.string().regex(/^[a-z][a-z0-9/-]*(:[a-z]+)?$/), tick: Text }).strict();

export const XdrApiFile = z
  .object({
    schemaVersion: z.literal(1),
    note: z.string().optional(),
    paths: z.object({ token: ApiPath, devices: ApiPath, moduleTypes: ApiPath, moduleInstances: ApiPath, health: ApiPath.refine((p) => p.includes('{id}'), { message: 'needs {id}' }), observe: ApiPath }).strict(),
    scopes: z.object({ devices: Scope, moduleTypes: Scope, moduleInstances: Scope, health: Scope, observe: Scope }).strict(),
    paging: z.object({ limit: z.number().int().min(1).max(1000), maxPages: z.number().int().min(1).max(1000) }).strict(),
    limits: z.object({ maxBodyBytes: z.number().int().min(1024).max(64 * 1024 * 1024), maxDepth: z.number().int().min(4).max(1000) }).strict(),
    deviceList: z.object({ keys: Names }).strict(),
    deviceFields: z.object({ id: Names, name: Names, type: Names, status: Names, lastSeen: Names, address: Names }).strict(),
    deviceStates: z.object({ online: Names, offline: Names }).strict(),
    emailModules: z.object({ productCategory: z.string().min(1), titles: Names, deviceSettingType: z.string().min(1) }).strict(),
    observable: z.object({ type: z.literal('email'), value: z.string().regex(/^[^@\s]+@example\.(com|org|net)$/, { message: 'must be an address at example.com/.org/.net, never a real one' }) }).strict(),
  })
  .strict();
export type XdrApiFile = z.infer<typeof XdrApiFile>;
export type XdrCall = keyof XdrApiFile['scopes'];

/** Loads and validates `resources/xdr-api.json`; a broken file names the path that is wrong. */
export function loadXdrApi(resourcesDir: string): XdrApiFile {
  return readResourceFile(path.join(resourcesDir, 'xdr-api.json'), XdrApiFile);
}

/**
 * Whether a granted IROH scope covers a needed one: `integration` and `integration:read` cover
 * `integration/health:read`; a `:read` grant never covers a write; `sse` covers `sse:read`.
 */
export function scopeCovers(granted: string, needed: string): boolean {
  const [gPath, gMode] = granted.split(':') as [string, string | undefined];
  const [nPath, nMode] = needed.split(':') as [string, string | undefined];
  if (gMode && gMode !== nMode) return false;
  return nPath === gPath || nPath.startsWith(`${gPath}/`);
}
