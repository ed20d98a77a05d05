import dns from 'node:dns';
import type { Evidence } from '../../../contract/checks.js';
import type { RegionId } from '../../../contract/profiles.js';
import type { Params } from '../../knowledge/runbook.js';
import { scopeCovers, type XdrCall } from '../../knowledge/xdr-api.js';
import { regionXdrApis } from '../endpoints.js';
import { connectTunnel } from '../proxy.js';
import { triage } from '../triage.js';
import { IrohClient, IrohError } from '../xdr/iroh-client.js';
import { applianceNames, boundDevices, healthStatus, matchDevice, moduleErrors, observeHasData, parseModuleInstance, parseModuleType, ShapeError, type ModuleError } from '../xdr/xdr-model.js';
import { FOREIGN_ISSUER_ERRORS, handshake } from './certificates.js';
import { abortable, VANTAGE, type Probe, type ProbeContext, type ProbeResult } from './probe.js';
import { dateTimeText } from './time-text.js';

type Raise = NonNullable<ProbeResult['raises']>[number];

function xdrApiUrl(ctx: ProbeContext, region: RegionId = ctx.profile.region): URL {
  return (ctx.endpoints.xdrApi ?? regionXdrApis(ctx.knowledge.regions))[region];
}

function baseEvidence(ctx: ProbeContext): Evidence {
  return { vantage: VANTAGE, xdrApi: xdrApiUrl(ctx).href, endpointsSource: ctx.endpoints.source, proxy: ctx.proxy?.display ?? null };
}

function newClient(ctx: ProbeContext, base: URL, secret: string): IrohClient {
  return new IrohClient({
    base,
    clientId: ctx.xdr.config!.clientId,
    clientSecret: secret,
    trustedCa: ctx.endpoints.trustedCa,
    proxy: ctx.proxy,
    api: ctx.knowledge.xdrApi,
    protect: ctx.protect,
    note: (message, fields) => ctx.note(message, fields),
  });
}

/** The issuer the XDR API host presents, for the interception finding (no credentials are sent). */
async function presentedIssuer(ctx: ProbeContext, url: URL): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || 443;
  try {
    const socket = ctx.proxy ? await connectTunnel(ctx.proxy, host, port, ctx.signal) : undefined;
    const h = await handshake({ host, port, genuineRoots: true, ...(ctx.endpoints.trustedCa ? { ca: ctx.endpoints.trustedCa } : {}), ...(socket ? { socket } : {}), signal: ctx.signal });
    const last = h.chain[h.chain.length - 1];
    return (h.chain.length > 1 ? last?.issuerName : h.chain[0]?.issuerName) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** An IROH failure as the outcome every XDR check shares (unreachable, intercepted, rejected, rate limited, unexpected). */
async function failureResult(ctx: ProbeContext, error: unknown, evidence: Evidence): Promise<ProbeResult> {
  if (error instanceof ShapeError) return { outcome: 'unexpected', params: { call: String(evidence.call ?? ''), detail: error.message }, evidence: { ...evidence, error: error.message } };
  if (!(error instanceof IrohError)) throw error;
  const f = error.failure;
  const url = xdrApiUrl(ctx);
  const via = ctx.proxy ? { en: ` via proxy ${ctx.proxy.display}`, de: ` über Proxy ${ctx.proxy.display}` } : '';
  const ev: Evidence = { ...evidence, call: error.call, traceId: error.traceId };
  const params: Params = { call: error.call, xdrApiHost: url.host, xdrApiUrl: url.href, via };
  switch (f.kind) {
    case 'network': {
      if (FOREIGN_ISSUER_ERRORS.has(f.code)) {
        const issuer = await presentedIssuer(ctx, url);
        const trustSource = ctx.endpoints.trustedCa ? { en: `the lab CA from ${ctx.endpoints.source}`, de: `die Labor-CA aus ${ctx.endpoints.source}` } : { en: 'the public roots bundled with this app', de: 'die mitgelieferten öffentlichen Stammzertifikate' };
        return { outcome: 'intercepted', params: { ...params, cloudHost: url.host, issuer, trustSource }, evidence: { ...ev, verifyError: f.code, issuer } };
      }
      return { outcome: 'unreachable', params: { ...params, detail: f.detail }, evidence: { ...ev, error: f.detail } };
    }
    case 'rejected':
    case 'unauthorized':
      return { outcome: 'rejected', params: { ...params, status: f.status, error: f.error || `HTTP ${f.status}`, description: f.description || '–' }, evidence: { ...ev, status: f.status, error: f.error, description: f.description } };
    case 'forbidden':
      return { outcome: 'forbidden', params: { ...params, missing: scopeText(ctx, [callOf(error.call, ctx)]) }, evidence: { ...ev, status: 403, error: f.error, description: f.description } };
    case 'rate-limited': {
      const retry = f.retryAfterSeconds;
      const retryAfter = retry === null ? { en: 'a while (no Retry-After given)', de: 'eine Weile (kein Retry-After angegeben)' } : { en: `${retry} s`, de: `${retry} s` };
      return { outcome: 'rate-limited', params: { ...params, retryAfter }, evidence: { ...ev, retryAfterSeconds: retry } };
    }
    case 'answer':
      return { outcome: 'unexpected', params: { ...params, detail: f.detail }, evidence: { ...ev, status: f.status, error: f.detail } };
  }
}

/** Which documented call a failed request was, for the scope it needs. */
function callOf(call: string, ctx: ProbeContext): XdrCall {
  const p = ctx.knowledge.xdrApi.paths;
  if (call.includes(p.devices)) return 'devices';
  if (call.includes(p.moduleTypes)) return 'moduleTypes';
  if (call.includes(p.moduleInstances)) return 'moduleInstances';
  if (call.includes(p.observe)) return 'observe';
  return 'health';
}

function scopeText(ctx: ProbeContext, calls: XdrCall[]): Params[string] {
  const s = ctx.knowledge.xdrApi.scopes;
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  return {
    en: uniq(calls.map((c) => `${s[c].tick.en} (${s[c].scope})`)).join(', '),
    de: uniq(calls.map((c) => `${s[c].tick.de} (${s[c].scope})`)).join(', '),
  };
}

function missingScopes(ctx: ProbeContext, calls: XdrCall[]): XdrCall[] {
  const granted = ctx.xdr.scopes;
  if (granted.length === 0) return [];
  return calls.filter((c) => !granted.some((g) => scopeCovers(g, ctx.knowledge.xdrApi.scopes[c].scope)));
}

/** The client the auth check made; the later checks depend on it, so it is there unless the plan was bypassed. */
function client(ctx: ProbeContext): IrohClient {
  if (!ctx.xdr.client) throw new Error('the XDR API client did not authenticate in this run');
  return ctx.xdr.client;
}

const ALL_CALLS: XdrCall[] = ['devices', 'moduleTypes', 'moduleInstances', 'health', 'observe'];

/**
 * `POST /iroh/oauth2/token` with the profile's client. A rejected client is asked of the other
 * regions' token endpoints too: one that accepts it is the region the XDR tenant lives in.
 */
export const xdrAuthProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const config = ctx.xdr.config;
  const evidence: Evidence = { ...baseEvidence(ctx), clientId: config?.clientId ?? null, request: `POST ${ctx.knowledge.xdrApi.paths.token}` };
  const secret = config?.secret() ?? null;
  if (!config || !secret) return { outcome: 'no-client', evidence };
  ctx.protect(secret);
  const own = newClient(ctx, xdrApiUrl(ctx), secret);
  ctx.xdr.client = own;
  let token;
  try {
    token = await own.accessToken(ctx.signal);
  } catch (error) {
    const result = await failureResult(ctx, error, evidence);
    if (result.outcome !== 'rejected') return result;
    const elsewhere = await otherRegion(ctx, secret);
    if (elsewhere) {
      return {
        outcome: 'wrong-region',
        params: { ...result.params, clientRegionLabel: ctx.knowledge.regionLabels[elsewhere], regionLabel: ctx.knowledge.regionLabels[ctx.profile.region], clientXdrApiHost: xdrApiUrl(ctx, elsewhere).host },
        evidence: { ...result.evidence, acceptedBy: xdrApiUrl(ctx, elsewhere).href },
      };
    }
    return result;
  }
  ctx.xdr.scopes = token.scopes;
  const tokenEvidence = { ...evidence, tokenType: 'bearer', expiresInSeconds: token.expiresIn, scopes: token.scopes.join(' ') || '(none listed)', note: 'the access token is kept in memory for this run only and never shown' };
  const missing = missingScopes(ctx, ALL_CALLS);
  if (missing.length > 0) return { outcome: 'scope-missing', params: { missing: scopeText(ctx, missing), xdrApiHost: xdrApiUrl(ctx).host }, evidence: { ...tokenEvidence, missingScopes: missing.map((c) => ctx.knowledge.xdrApi.scopes[c].scope) } };
  return { outcome: 'pass', params: { xdrApiHost: xdrApiUrl(ctx).host, expiresIn: token.expiresIn ?? '?' }, evidence: tokenEvidence };
};

/** The region whose token endpoint accepts the client, when it is not the profile's (only where the URLs differ). */
async function otherRegion(ctx: ProbeContext, secret: string): Promise<RegionId | null> {
  const ownUrl = xdrApiUrl(ctx).href;
  const others = (['nam', 'eu', 'apjc'] as const).filter((r) => r !== ctx.profile.region && xdrApiUrl(ctx, r).href !== ownUrl);
  const answers = await Promise.all(
    others.map(async (r) => {
      const c = ctx.xdr.track(newClient(ctx, xdrApiUrl(ctx, r), secret));
      try {
        await c.accessToken(ctx.signal);
        return r;
      } catch {
        return null;
      }
    }),
  );
  return answers.find((r) => r !== null) ?? null;
}

async function applianceAddresses(ctx: ProbeContext): Promise<string[]> {
  try {
    const found = await abortable(ctx.signal, dns.promises.lookup(ctx.profile.host, { all: true }));
    return found.map((a) => a.address);
  } catch {
    return [];
  }
}

/** Finds this appliance among the SSE devices and reads its connection state. */
export const xdrSseDeviceProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const api = ctx.knowledge.xdrApi;
  const evidence: Evidence = { ...baseEvidence(ctx), request: `GET ${api.paths.devices}` };
  if (missingScopes(ctx, ['devices']).length > 0) return { outcome: 'no-scope', params: { missing: scopeText(ctx, ['devices']) }, evidence };
  try {
    client(ctx);
    const who = applianceNames(ctx.profile.host, ctx.profile.cluster, await applianceAddresses(ctx));
    const devices = await ctx.xdr.devices(ctx.signal, api);
    const found = matchDevice(devices, who);
    const lookedFor = [...who.names, ...who.addresses.filter((a) => !who.names.includes(a))];
    if (!found) {
      // Devices of the appliance's own type first: a renamed appliance is among them.
      const ownType = ctx.profile.kind === 'sma' ? 'sma' : 'esa';
      const sameType = (d: (typeof devices)[number]) => (d.type?.toLowerCase().includes(ownType) ? 0 : 1);
      const names = [...devices].sort((a, b) => sameType(a) - sameType(b)).map((d) => d.name ?? d.id ?? '?').slice(0, 50);
      return {
        outcome: 'not-listed',
        params: { others: names.length > 0 ? names.join(', ') : { en: 'none', de: 'keine' }, count: devices.length },
        evidence: { ...evidence, devices: devices.length, lookedFor, otherDevices: names },
      };
    }
    const d = found.device;
    ctx.xdr.matched = d;
    const params = { device: d.name ?? d.id ?? '?', deviceId: d.id ?? '–', deviceStatus: d.status ?? { en: 'no state given', de: 'kein Zustand angegeben' }, lastSeen: d.lastSeen ? dateTimeText(d.lastSeen) : '–' };
    const ev: Evidence = { ...evidence, devices: devices.length, matchedBy: found.by, 'device.name': d.name, 'device.id': d.id, 'device.type': d.type, 'device.status': d.status, 'device.lastSeen': d.lastSeen, fieldsRead: Object.entries(d.fields).map(([role, key]) => `${role}=${key}`) };
    if (d.state === 'offline') return { outcome: 'offline', params, evidence: ev };
    if (d.state === 'unknown') return { outcome: 'state-unknown', params, evidence: ev };
    return { outcome: 'pass', params, evidence: ev };
  } catch (error) {
    return failureResult(ctx, error, evidence);
  }
};

/** Module types and instances: is there an enabled Secure Email module, and is it bound to this appliance's SSE device? */
export const xdrModuleProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const api = ctx.knowledge.xdrApi;
  const evidence: Evidence = { ...baseEvidence(ctx), request: `GET ${api.paths.moduleTypes}, GET ${api.paths.moduleInstances}` };
  const missing = missingScopes(ctx, ['moduleTypes', 'moduleInstances']);
  if (missing.length > 0) return { outcome: 'no-scope', params: { missing: scopeText(ctx, missing) }, evidence };
  try {
    const c = client(ctx);
    const [typeItems, instanceItems] = await Promise.all([c.list(api.paths.moduleTypes, ctx.signal, arrayOrNull), c.list(api.paths.moduleInstances, ctx.signal, arrayOrNull)]);
    const types = new Map(typeItems.map((t, i) => parseModuleType(t, i, api)).map((t) => [t.id, t]));
    const instances = instanceItems.map(parseModuleInstance);
    const email = instances.filter((i) => types.get(i.typeId)?.email);
    const ev: Evidence = { ...evidence, moduleTypes: types.size, moduleInstances: instances.length, moduleNames: email.map((i) => i.name), emailModules: email.map((i) => `${i.name} (${types.get(i.typeId)!.title}, ${i.enabled ? 'enabled' : 'disabled'}; ${types.get(i.typeId)!.matchedBy})`) };
    if (email.length === 0) return { outcome: 'missing', params: { count: instances.length }, evidence: ev };
    const enabled = email.filter((i) => i.enabled);
    if (enabled.length === 0) return { outcome: 'disabled', params: { modules: email.map((i) => i.name).join(', ') }, evidence: ev };
    let device = ctx.xdr.matched;
    let devices: Awaited<ReturnType<typeof ctx.xdr.devices>> = [];
    if (missingScopes(ctx, ['devices']).length === 0) {
      try {
        devices = await ctx.xdr.devices(ctx.signal, api);
        device ??= matchDevice(devices, applianceNames(ctx.profile.host, ctx.profile.cluster, await applianceAddresses(ctx)))?.device ?? null;
      } catch {
        // The device check reports the device list's own failure; here it only refines the binding.
      }
    }
    const bound = enabled.map((instance) => ({ instance, type: types.get(instance.typeId), devices: boundDevices(instance, types.get(instance.typeId)) }));
    const showing = bound.filter((b) => b.devices.length > 0);
    if (device?.id && showing.length > 0 && !showing.some((b) => b.devices.includes(device.id!))) {
      const nameOf = (id: string) => devices.find((d) => d.id === id)?.name ?? id;
      return {
        outcome: 'wrong-device',
        params: { modules: showing.map((b) => b.instance.name).join(', '), boundTo: [...new Set(showing.flatMap((b) => b.devices.map(nameOf)))].join(', '), device: device.name ?? device.id },
        evidence: { ...ev, boundTo: showing.map((b) => `${b.instance.name} → ${b.devices.map(nameOf).join(', ')}`), boundDeviceNames: showing.flatMap((b) => b.devices.map(nameOf)), 'device.id': device.id, 'device.name': device.name },
      };
    }
    const mine = device?.id ? bound.filter((b) => b.devices.includes(device.id!)) : [];
    ctx.xdr.modules = (mine.length > 0 ? mine : bound).map((b) => ({ instance: b.instance, type: b.type }));
    return { outcome: 'pass', params: { modules: ctx.xdr.modules.map((m) => m.instance.name).join(', ') }, evidence: ev };
  } catch (error) {
    return failureResult(ctx, error, evidence);
  }
};

const arrayOrNull = (json: unknown): unknown[] | null => (Array.isArray(json) ? json : null);

/**
 * Module errors as findings: the message runs through the error patterns (E4017 → the device is
 * offline in SSE, "unexpected error" → the AsyncOS API), anything else is the module's own error.
 */
function classify(ctx: ProbeContext, module: string, errors: readonly ModuleError[]): Raise[] {
  const raises: Raise[] = [];
  for (const e of errors) {
    if (e.type === 'warning') continue;
    const specific = triage(ctx.knowledge, e.message).filter((m) => m.pattern.specific);
    if (specific.length > 0) {
      // The module's message is a symptom like a pasted one: shown with its cause when the run finds it.
      for (const m of specific) for (const code of m.raises) raises.push({ code, params: { ...m.params, module, message: e.message }, causes: m.candidates.filter((c) => c !== code) });
      continue;
    }
    const status = /\[(\d{3})\]\s*$/.exec(e.message)?.[1];
    raises.push({ code: 'XDR_MODULE_ERROR', params: { module, message: e.message, httpStatus: status ?? '–' } });
  }
  return raises;
}

function errorEvidence(errors: readonly ModuleError[]): string[] {
  return errors.map((e) => `${e.type ?? 'error'}${e.code ? ` ${e.code}` : ''}: ${e.message}`);
}

/** `POST /iroh/iroh-enrich/health/{id}` for each email module; `errors[]` is read on every status. */
export const xdrModuleHealthProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const api = ctx.knowledge.xdrApi;
  const evidence: Evidence = { ...baseEvidence(ctx), request: `POST ${api.paths.health}` };
  if (missingScopes(ctx, ['health']).length > 0) return { outcome: 'no-scope', params: { missing: scopeText(ctx, ['health']) }, evidence };
  try {
    const c = client(ctx);
    const results = await Promise.all(
      ctx.xdr.modules.map(async ({ instance }) => {
        const path = api.paths.health.replace('{id}', encodeURIComponent(instance.id));
        const answer = await c.call('POST', path, { signal: ctx.signal });
        const errors = moduleErrors(answer.json);
        if (errors === null) throw new IrohError(`POST ${path}`, { kind: 'answer', status: answer.status, detail: '"errors" is not a list' }, answer.traceId);
        return { instance, status: healthStatus(answer.json, instance.id), errors };
      }),
    );
    const raises = results.flatMap((r) => classify(ctx, r.instance.name, r.errors));
    // Module names only in values (never keys): the support archive replaces them.
    const ev: Evidence = { ...evidence, moduleNames: results.map((r) => r.instance.name), statuses: results.map((r) => `${r.instance.name}: ${r.status ?? '–'}`), errors: results.flatMap((r) => errorEvidence(r.errors).map((e) => `${r.instance.name}: ${e}`)) };
    const modules = results.map((r) => `${r.instance.name}: ${r.status ?? '–'}`).join(', ');
    if (raises.length > 0) return { outcome: 'module-error', params: { modules, message: String(raises[0]!.params?.message ?? '') }, evidence: ev, raises };
    // `error` or `unknown` without a message: still not green.
    const bad = results.find((r) => r.status !== 'ok');
    if (bad) return { outcome: 'not-ok', params: { modules, module: bad.instance.name, message: { en: `health status “${bad.status ?? 'none'}”`, de: `Integritätsstatus „${bad.status ?? 'keiner'}“` }, httpStatus: '–' }, evidence: ev };
    return { outcome: 'pass', params: { modules }, evidence: ev };
  } catch (error) {
    return failureResult(ctx, error, evidence);
  }
};

/** What the XDR tile does: observe one harmless address at example.com through the email modules. */
export const xdrObserveProbe: Probe = async (ctx): Promise<ProbeResult> => {
  const api = ctx.knowledge.xdrApi;
  const evidence: Evidence = { ...baseEvidence(ctx), request: `POST ${api.paths.observe}`, observable: `${api.observable.type}: ${api.observable.value}` };
  if (missingScopes(ctx, ['observe']).length > 0) return { outcome: 'no-scope', params: { missing: scopeText(ctx, ['observe']) }, evidence };
  try {
    const c = client(ctx);
    const query = ctx.xdr.modules.map(({ instance }): [string, string] => ['mids', instance.id]);
    const answer = await c.call('POST', api.paths.observe, { query, body: [{ type: api.observable.type, value: api.observable.value }], signal: ctx.signal });
    const errors = moduleErrors(answer.json);
    if (errors === null) throw new IrohError(`POST ${api.paths.observe}`, { kind: 'answer', status: answer.status, detail: '"errors" is not a list' }, answer.traceId);
    const nameOf = (id: string | null) => ctx.xdr.modules.find((m) => m.instance.id === id)?.instance.name ?? ctx.xdr.modules[0]?.instance.name ?? '?';
    const raises = errors.flatMap((e) => classify(ctx, nameOf(e.moduleInstanceId), [e]));
    const ev: Evidence = { ...evidence, moduleNames: ctx.xdr.modules.map((m) => m.instance.name), errors: errorEvidence(errors) };
    if (raises.length > 0) return { outcome: 'module-error', params: { message: String(raises[0]!.params?.message ?? '') }, evidence: ev, raises };
    return { outcome: observeHasData(answer.json) ? 'pass' : 'no-data', params: { observable: api.observable.value }, evidence: ev };
  } catch (error) {
    return failureResult(ctx, error, evidence);
  }
};
