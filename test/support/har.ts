import { createRequire } from 'node:module';
import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);

let validator: ValidateFunction | undefined;

/** HAR 1.2 as published in har-schema (the schema har-validator uses), checked with ajv and its formats. */
export function harSchemaErrors(har: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    const schemas = require('har-schema') as Record<string, { $id: string }>;
    for (const schema of Object.values(schemas)) ajv.addSchema(schema);
    validator = ajv.getSchema('har.json#')!;
  }
  return validator(har) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Every form a planted secret could take in a leaked file: raw, base64 (also without padding, url-safe), URL- and JSON-escaped. */
export function secretForms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  return [...new Set([secret, b64, b64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

/** Which forms of which secrets occur in the file's bytes. */
export function leaks(file: string, secrets: string[]): string[] {
  const bytes = fs.readFileSync(file);
  const found: string[] = [];
  for (const s of secrets) for (const form of secretForms(s)) if (bytes.includes(Buffer.from(form))) found.push(form === s ? s : `${s} (as ${form})`);
  return found;
}

type Json = Record<string, unknown>;

/** A complete HAR 1.2 entry; `over` is merged in (request and response fields one level deep). */
export function entry(over: { request?: Json; response?: Json; [k: string]: unknown } = {}): Json {
  const { request, response, ...rest } = over;
  return {
    startedDateTime: '2024-05-01T10:00:00.000Z',
    time: 12.5,
    request: { method: 'GET', url: 'https://xdr.eu.security.cisco.com/', httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: 0, ...request },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: { size: 2, mimeType: 'application/json', text: '{}' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 2,
      ...response,
    },
    cache: {},
    timings: { send: 1, wait: 10, receive: 1.5 },
    ...rest,
  };
}

export function har(entries: unknown[], log: Json = {}): Json {
  return { log: { version: '1.2', creator: { name: 'test', version: '1' }, pages: [], entries, ...log } };
}
