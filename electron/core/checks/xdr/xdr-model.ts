import type { XdrApiFile } from '../../knowledge/xdr-api.js';

/** One SSE device as the checks read it; `fields` says which candidate key gave each value. */
export interface SseDevice {
  id: string | null;
  name: string | null;
  type: string | null;
  status: string | null;
  state: 'online' | 'offline' | 'unknown';
  lastSeen: string | null;
  addresses: string[];
  fields: Record<string, string>;
}

export interface ModuleType {
  id: string;
  title: string;
  /** `configuration_spec` keys of type `device`: where a module's settings name its SSE device. */
  deviceKeys: string[];
  email: boolean;
  /** How it was recognised as an email module: the product category or a title from the data. */
  matchedBy: string | null;
}

export interface ModuleInstance {
  id: string;
  name: string;
  typeId: string;
  enabled: boolean;
  settings: Record<string, unknown>;
}

/** A list answer's item that is not what the call documents: the probe reports it as an unexpected answer. */
export class ShapeError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 300) : typeof v === 'number' ? String(v) : null);

/** The device list from any of the accepted envelopes: a bare array, or under `data`/`devices`/`items` (also one level down). */
export function deviceList(json: unknown, api: XdrApiFile): unknown[] | null {
  if (Array.isArray(json)) return json;
  if (!isObj(json)) return null;
  for (const key of api.deviceList.keys) {
    const v = json[key];
    if (Array.isArray(v)) return v;
    if (isObj(v)) for (const inner of api.deviceList.keys) if (Array.isArray(v[inner])) return v[inner] as unknown[];
  }
  return null;
}

function pick(o: Obj, names: readonly string[]): { key: string; value: unknown } | null {
  for (const key of names) if (o[key] !== undefined && o[key] !== null) return { key, value: o[key] };
  return null;
}

export function parseDevice(item: unknown, index: number, api: XdrApiFile): SseDevice {
  if (!isObj(item)) throw new ShapeError(`device ${index} is not an object`);
  const f = api.deviceFields;
  const fields: Record<string, string> = {};
  const get = (role: keyof typeof f) => {
    const hit = pick(item, f[role]);
    if (!hit) return null;
    fields[role] = hit.key;
    return hit.value;
  };
  const status = scalar(get('status'));
  const word = status?.trim().toLowerCase() ?? '';
  const state = api.deviceStates.online.includes(word) ? 'online' : api.deviceStates.offline.includes(word) ? 'offline' : 'unknown';
  const address = get('address');
  const addresses = (Array.isArray(address) ? address : [address]).map(scalar).filter((a): a is string => a !== null).map((a) => a.toLowerCase());
  return { id: scalar(get('id')), name: scalar(get('name')), type: scalar(get('type')), status, state, lastSeen: scalar(get('lastSeen')), addresses, fields };
}

/** What identifies this appliance among SSE devices: its host name, the first label, the cluster name and its addresses. */
export function applianceNames(host: string, cluster: string | null, addresses: readonly string[]): { names: string[]; addresses: string[] } {
  const h = host.toLowerCase();
  const names = new Set<string>([h]);
  if (!/^[\d.]+$/.test(h) && !h.includes(':')) names.add(h.split('.')[0]!);
  if (cluster) names.add(cluster.toLowerCase());
  return { names: [...names], addresses: [...new Set([h, ...addresses.map((a) => a.toLowerCase())])] };
}

/** The device that is this appliance: by full name, first label or cluster name, else by address. */
export function matchDevice(devices: readonly SseDevice[], who: { names: string[]; addresses: string[] }): { device: SseDevice; by: string } | null {
  for (const d of devices) {
    const name = d.name?.toLowerCase();
    if (!name) continue;
    const first = name.split('.')[0]!;
    const hit = who.names.find((n) => n === name || n === first);
    if (hit) return { device: d, by: `name “${d.name}” = “${hit}”` };
  }
  for (const d of devices) {
    const hit = d.addresses.find((a) => who.addresses.includes(a));
    if (hit) return { device: d, by: `address ${hit}` };
  }
  return null;
}

export function parseModuleType(item: unknown, index: number, api: XdrApiFile): ModuleType {
  if (!isObj(item)) throw new ShapeError(`module type ${index} is not an object`);
  if (typeof item.id !== 'string') throw new ShapeError(`module type ${index}: "id" is not a string`);
  const titles = [item.title, item.former_title, item.default_name].filter((t): t is string => typeof t === 'string');
  const categories = Array.isArray(item.product_categories) ? item.product_categories.map((c) => (isObj(c) ? scalar(c.id) : scalar(c))).filter((c): c is string => c !== null) : [];
  const spec = Array.isArray(item.configuration_spec) ? item.configuration_spec : [];
  const deviceKeys = spec.filter((s): s is Obj => isObj(s) && s.type === api.emailModules.deviceSettingType && typeof s.key === 'string').map((s) => s.key as string);
  const wanted = api.emailModules.titles.map((t) => t.toLowerCase());
  const byCategory = categories.includes(api.emailModules.productCategory);
  const byTitle = titles.find((t) => wanted.includes(t.toLowerCase()));
  return {
    id: item.id,
    title: typeof item.title === 'string' ? item.title.slice(0, 200) : item.id,
    deviceKeys,
    email: byCategory || byTitle !== undefined,
    matchedBy: byCategory ? `product category ${api.emailModules.productCategory}` : byTitle ? `title “${byTitle}”` : null,
  };
}

export function parseModuleInstance(item: unknown, index: number): ModuleInstance {
  if (!isObj(item)) throw new ShapeError(`module instance ${index} is not an object`);
  if (typeof item.id !== 'string') throw new ShapeError(`module instance ${index}: "id" is not a string`);
  if (typeof item.module_type_id !== 'string') throw new ShapeError(`module instance ${index}: "module_type_id" is not a string`);
  if (item.enabled !== undefined && typeof item.enabled !== 'boolean') throw new ShapeError(`module instance ${index}: "enabled" is not true or false`);
  return {
    id: item.id,
    name: typeof item.name === 'string' ? item.name.slice(0, 200) : item.id,
    typeId: item.module_type_id,
    enabled: item.enabled !== false,
    settings: isObj(item.settings) ? item.settings : {},
  };
}

/** The SSE device ids a module's settings name, under the keys its type declares as `device`. */
export function boundDevices(instance: ModuleInstance, type: ModuleType | undefined): string[] {
  return (type?.deviceKeys ?? []).map((k) => scalar(instance.settings[k])).filter((v): v is string => v !== null && v !== '');
}

/** An item of IROH's `errors[]`, as far as it has the documented fields. */
export interface ModuleError {
  moduleInstanceId: string | null;
  code: string | null;
  type: string | null;
  message: string;
}

/** `errors[]` of a health or observe answer (read on every status, 200 included); items without a message keep their code. */
export function moduleErrors(json: unknown): ModuleError[] | null {
  if (!isObj(json)) return null;
  if (json.errors === undefined) return [];
  if (!Array.isArray(json.errors)) return null;
  return json.errors.slice(0, 50).map((e) => {
    const o = isObj(e) ? e : {};
    const message = scalar(o.message) ?? scalar(o.error_description) ?? scalar(o.code) ?? (typeof e === 'string' ? e.slice(0, 300) : 'an error without a message');
    return { moduleInstanceId: scalar(o.module_instance_id), code: scalar(o.code), type: scalar(o.type), message };
  });
}

/** `data.data.status` of a health answer (a single module), or `data[].data.status` for the one asked. */
export function healthStatus(json: unknown, moduleId: string): string | null {
  if (!isObj(json)) return null;
  const entries = Array.isArray(json.data) ? json.data : [json.data];
  const entry = entries.find((d) => isObj(d) && (d.module_instance_id === undefined || d.module_instance_id === moduleId));
  if (!isObj(entry)) return null;
  const inner = isObj(entry.data) ? entry.data : entry;
  return scalar(inner.status);
}

/** Whether an observe answer holds any data for the modules asked (none is normal for a harmless address). */
export function observeHasData(json: unknown): boolean {
  if (!isObj(json) || !Array.isArray(json.data)) return false;
  return json.data.some((d) => isObj(d) && isObj(d.data) && Object.values(d.data).some((v) => (Array.isArray(v) ? v.length > 0 : isObj(v) ? Object.keys(v).length > 0 : false)));
}
