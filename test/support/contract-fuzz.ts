import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { z } from 'zod';
import { commands } from '../../electron/contract/commands.js';
import type { CommandName } from '../../electron/contract/names.js';
import type { Core } from '../../electron/core/core.js';

/**
 * Payload generators for fuzzing the contract, derived from each command's own request schema
 * (so a new command is covered without touching the tests), and the state a fuzzed core must keep.
 */

const DEPTH = 10_000;

/** Built as text and parsed: a recursive builder or JSON.stringify would itself overflow the stack. */
export const deepObjectText = (key: string, depth = DEPTH) => `{"${key}":`.repeat(depth) + '{}' + '}'.repeat(depth);
export const deepArrayText = (depth = DEPTH) => '['.repeat(depth) + ']'.repeat(depth);

/** Objects whose prototype keys are real own properties, as JSON.parse makes them. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
export const protoText = (key: string) =>
  key === 'constructor' ? '{"constructor":{"prototype":{"polluted":"yes"}}}' : `{"${key}":{"polluted":"yes","toString":"x"}}`;

interface ZodDefLike {
  type: string;
  [key: string]: unknown;
}
type AnySchema = z.ZodType;
const defOf = (schema: AnySchema) => (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
}
const checksOf = (def: ZodDefLike) => ((def.checks as { _zod: { def: CheckDef } }[] | undefined) ?? []).map((c) => c._zod.def);

/** The top-level field names of a command's request (unwrapping pipes and wrappers); [] when it is not an object. */
export function requestKeys(name: CommandName): string[] {
  let def = defOf(commands[name].request);
  while (def.type === 'pipe' || def.type === 'optional' || def.type === 'default') def = defOf((def.in ?? def.innerType) as AnySchema);
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** Strings the domain uses, so generated requests often pass refinements (host names, fingerprints, datetimes). */
const PLAUSIBLE = ['esa1.example.com', '127.0.0.1', '::1', 'lab', 'a', 'admin', 'eu', '1h', '7d', '2026-11-27T09:30:00Z', 'a'.repeat(64), '0123456789abcdef', 'TAC-12345678', 'http://proxy.example.com:3128'];

/** Keys the app's own documents use (profile exports, HAR), so parsers get past their first check. */
const DOC_KEYS = ['format', 'schemaVersion', 'profiles', 'log', 'entries', 'name', 'kind', 'host', 'region', 'trust', '__proto__', 'constructor'];
const HOSTILE = '\u0000hostile';
const DOC_VALUES = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('xet-profiles', 1, 2, [], [{}], 'esa', 'esa1.example.com', 'eu'),
  fc.constantFrom('deep-object', 'deep-array', 'huge-string').map((k) => ({ [HOSTILE]: k })),
);
/** JSON text of a document with the app's keys and hostile values (10 000-deep nesting, 2 MB strings) spliced in as text. */
const docEntry = fc.dictionary(fc.constantFrom(...DOC_KEYS), DOC_VALUES, { maxKeys: 4 });
const jsonDocument: fc.Arbitrary<string> = fc
  .tuple(
    fc.record(
      {
        format: fc.oneof(fc.constant('xet-profiles'), DOC_VALUES),
        schemaVersion: fc.oneof(fc.constant(1), DOC_VALUES),
        profiles: fc.oneof(fc.array(docEntry, { maxLength: 3 }), DOC_VALUES),
        log: fc.record({ entries: fc.oneof(fc.array(docEntry, { maxLength: 3 }), DOC_VALUES) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    docEntry,
  )
  .map(([known, extra]) =>
    JSON.stringify({ ...extra, ...known }).replace(/\{"\\u0000hostile":"([a-z-]+)"\}/g, (_, kind: string) =>
      kind === 'deep-object' ? deepObjectText('a') : kind === 'deep-array' ? deepArrayText() : JSON.stringify('C'.repeat(2 * 1024 * 1024)),
    ),
  );

/**
 * Arbitrary requests shaped by a zod schema (inputs, before transforms). Refinements are not
 * modelled: callers keep what the schema accepts. Strings and arrays are kept short.
 */
export function shapedBy(schema: AnySchema, known: readonly string[] = []): fc.Arbitrary<unknown> {
  const inner = (child: unknown) => shapedBy(child as AnySchema, known);
  const def = defOf(schema);
  const checks = checksOf(def);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      const required = Object.keys(shape).filter((k) => !['optional', 'default'].includes(defOf(shape[k]!).type));
      return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, inner(v)])), { requiredKeys: required });
    }
    case 'string': {
      const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const limit = checks.find((c) => c.check === 'max_length')?.maximum ?? Infinity;
      const max = Math.min(limit, 40);
      if (def.format === 'datetime') return fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString());
      const pattern = (def.pattern as RegExp | undefined) ?? checks.find((c) => c.format === 'regex')?.pattern;
      if (pattern) {
        const ids = known.filter((k) => pattern.test(k));
        const drawn = fc.stringMatching(pattern).filter((s) => s.length <= 64);
        return ids.length > 0 ? fc.oneof(drawn, fc.constantFrom(...ids)) : drawn;
      }
      const text = fc.oneof(fc.string({ minLength: min, maxLength: Math.max(min, max) }), fc.constantFrom(...PLAUSIBLE, ...known));
      // A field that takes whole documents (an import file's content) gets hostile JSON documents too.
      return limit >= 1024 * 1024 ? fc.oneof(text, jsonDocument) : text;
    }
    case 'number': {
      const int = checks.some((c) => c.check === 'number_format');
      const lo = checks.find((c) => c.check === 'greater_than')?.value ?? -1e6;
      const hi = checks.find((c) => c.check === 'less_than')?.value ?? 1e9;
      return int ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'optional':
    case 'default':
      return inner(def.innerType);
    case 'nullable':
      return fc.oneof(fc.constant(null), inner(def.innerType));
    case 'pipe':
      return inner(def.in);
    case 'array': {
      const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      return fc.array(inner(def.element), { minLength: min, maxLength: Math.max(min, 3) });
    }
    case 'union':
      return fc.oneof(...(def.options as AnySchema[]).map(inner));
    case 'record':
      return fc.dictionary(inner(def.keyType) as fc.Arbitrary<string>, inner(def.valueType), { maxKeys: 3 });
    default:
      throw new Error(`shapedBy: no generator for zod type "${def.type}"; add one`);
  }
}

/** Values of the wrong kind or size for any field; `json` keeps to what survives JSON. */
function junk(json: boolean): fc.Arbitrary<unknown> {
  const jsonJunk = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(null, '', 0, -1, 1e308, true, [], [{}], {}, '\u0000', '../../etc/passwd', '<script>', 'x'.repeat(70_000)),
    fc.constantFrom(...PROTO_KEYS).map((k) => JSON.parse(protoText(k)) as unknown),
  );
  if (json) return jsonJunk;
  return fc.oneof(
    jsonJunk,
    fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined, 2n ** 70n, new Date(NaN), new Map([['a', 1]]), new Set([1]), new Uint8Array(3), Object.create(null) as unknown),
    fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }),
  );
}

/** Replaces, removes or adds one member somewhere inside an otherwise well-shaped request. */
function mutateOnce(value: unknown, junkValue: unknown, pick: number, action: 'set' | 'delete' | 'extra' | 'proto'): unknown {
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: unknown) => {
    if (v !== null && typeof v === 'object') {
      containers.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(value);
  if (containers.length === 0) return junkValue;
  const target = containers[pick % containers.length]!;
  const keys = Object.keys(target);
  if (action === 'proto' && !Array.isArray(target)) {
    Object.defineProperty(target, PROTO_KEYS[pick % 3]!, { value: junkValue, enumerable: true, writable: true, configurable: true });
  } else if (action === 'extra' || keys.length === 0) {
    (target as Record<string, unknown>)[`extra${pick % 7}`] = junkValue;
  } else if (action === 'delete' && !Array.isArray(target)) {
    delete target[keys[pick % keys.length]!];
  } else {
    (target as Record<string, unknown>)[keys[pick % keys.length]!] = junkValue;
  }
  return value;
}

/**
 * Candidate bad requests for one command: arbitrary values, the request's own fields with wrong
 * values (some missing, some extra) and well-shaped requests with one member broken. Not all are
 * invalid: callers keep only what the command's schema rejects.
 */
export function badPayloads(name: CommandName, opts: { json: boolean }): fc.Arbitrary<unknown> {
  const schema = commands[name].request;
  const keys = requestKeys(name);
  const j = junk(opts.json);
  const ownFieldsWrong =
    keys.length === 0
      ? fc.dictionary(fc.string({ maxLength: 8 }), j, { minKeys: 1, maxKeys: 3 })
      : fc.record(Object.fromEntries(keys.map((k) => [k, j])), { requiredKeys: [] });
  const withExtra = fc.tuple(ownFieldsWrong, fc.dictionary(fc.string({ maxLength: 12 }), j, { minKeys: 1, maxKeys: 2 })).map(([a, b]) => ({ ...b, ...(a as object) }));
  const broken = fc
    .tuple(shapedBy(schema), j, fc.nat(), fc.constantFrom('set' as const, 'delete' as const, 'extra' as const, 'proto' as const))
    .map(([v, junkValue, pick, action]) => mutateOnce(structuredClone(v), junkValue, pick, action));
  return fc.oneof({ arbitrary: j, weight: 2 }, { arbitrary: ownFieldsWrong, weight: 3 }, { arbitrary: withExtra, weight: 2 }, { arbitrary: broken, weight: 4 });
}

/**
 * Requests the schema's shape allows (refinements aside), for "a valid request never crashes";
 * `known` strings (ids of stored profiles, runs, HAR files) are drawn too, so handlers get past "not found".
 */
export const wellShaped = (name: CommandName, known: readonly string[] = []): fc.Arbitrary<unknown> => shapedBy(commands[name].request, known);

/**
 * The hostile payloads fast-check would rarely draw, for every command: huge strings (1 and 5 MB;
 * over HTTP 5 MB bodies and 512 KB fields),
 * 10 000-deep objects and arrays, own prototype keys, non-finite numbers, arrays for objects, each
 * as the whole request and as each of its fields.
 */
export function hostilePayloads(name: CommandName, opts: { json: boolean }): { label: string; payload: unknown }[] {
  const oneMb = 'A'.repeat(1024 * 1024);
  const fiveMb = 'B'.repeat(5 * 1024 * 1024);
  // Over HTTP a body over 1 MB is refused before it is parsed, whatever the command: one 5 MB body per command
  // shows that; fields get 512 KB strings, which fit the body limit and so reach the schema.
  const halfMb = oneMb.slice(0, 512 * 1024);
  const wholeValues: [string, () => unknown][] = opts.json ? [['5 MB string', () => fiveMb]] : [['1 MB string', () => oneMb], ['5 MB string', () => fiveMb]];
  const fieldValues: [string, () => unknown][] = opts.json ? [['512 KB string', () => halfMb]] : wholeValues;
  const values: [string, () => unknown][] = [
    ['10000-deep object', () => JSON.parse(deepObjectText('a'))],
    ['10000-deep array', () => JSON.parse(deepArrayText())],
    ...PROTO_KEYS.map((k): [string, () => unknown] => [`own ${k}`, () => JSON.parse(protoText(k))]),
    ['array of objects', () => [{}, { a: 1 }]],
    ['null', () => null],
    ...(opts.json ? [] : ([['NaN', () => NaN], ['Infinity', () => Infinity], ['-Infinity', () => -Infinity]] as [string, () => unknown][])),
  ];
  const out: { label: string; payload: unknown }[] = [...wholeValues, ...values].map(([label, make]) => ({ label: `request = ${label}`, payload: make() }));
  // Over HTTP each field gets the three that test the transport (size, depth, __proto__); the dispatcher gets them all.
  const perField = opts.json ? [...fieldValues, ...values.filter(([label]) => label === '10000-deep object' || label === 'own __proto__')] : [...fieldValues, ...values];
  for (const key of requestKeys(name)) for (const [label, make] of perField) out.push({ label: `${key} = ${label}`, payload: { [key]: make() } });
  out.push({ label: 'huge field name', payload: { [opts.json ? halfMb : oneMb]: 1 } });
  const fields = requestKeys(name).map((f) => `,${JSON.stringify(f)}:"x"`).join('');
  for (const k of PROTO_KEYS) out.push({ label: `own ${k} beside the fields`, payload: JSON.parse(`{"${k}":{"polluted":"yes"}${fields}}`) });
  return out;
}

/**
 * fc.assert, with a failure message that shows at most 300 characters of the counterexample
 * (the payloads here run to megabytes).
 */
export async function assertProperty<T>(property: fc.IAsyncProperty<T>, params: fc.Parameters<T>): Promise<void> {
  const details = await fc.check(property, params);
  if (!details.failed) return;
  const example = fc.stringify(details.counterexample).slice(0, 300);
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`Property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}")\nCounterexample: ${example}\n${cause.slice(0, 2000)}`);
}

export function rejects(name: CommandName, payload: unknown): boolean {
  return !commands[name].request.safeParse(payload === undefined ? {} : payload).success;
}

/** Everything a command could change: every table's rows, the data folder, the services' session state. */
export function stateOf(core: Core): unknown {
  const tables = core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const rows = Object.fromEntries(tables.map((t) => [t, core.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
  return { rows, files: listing(core.paths.root), vault: core.vault.status(), har: core.har.list(), archives: core.archive.list(), settings: core.settings.get() };
}

/** Every file and folder under root with its size (sizes catch appends; names catch new files). */
export function listing(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .map((d) => {
      const full = path.join(d.parentPath, d.name);
      return `${path.relative(root, full)}${d.isDirectory() ? '/' : ` ${fs.statSync(full).size}`}`;
    })
    .sort();
}

/** The built-in prototypes' own keys, to prove nothing was added to them. */
export function prototypesSnapshot(): Record<string, string[]> {
  const keys = (o: object) => Reflect.ownKeys(o).map(String).sort();
  return { object: keys(Object.prototype), array: keys(Array.prototype), function: keys(Function.prototype), string: keys(String.prototype) };
}
