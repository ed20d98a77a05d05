import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HarEntries, HarEntryDetail } from '../../../electron/contract/har-inspector.js';
import type { Dialogs } from '../../../electron/core/core.js';
import { testCore } from '../../support/core.js';
import { entry, har } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const BEARER = 'bearer-4c3d2e1f0a9b8c7d6e5f';
const COOKIE = 'sessid-77aa88bb99cc00dd11ee';
const ACCESS = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4ZGV0In0.c2lnbmF0dXJlLXNlY3JldA';
const CLIENT_SECRET = 'client-secret-5e6f7a8b9c0d1e2f';

/** A 1.4 s capture: a portal page, the IROH token call (token_type beside the token), a failing health call at the very end. */
function capture(dir: string): string {
  const file = path.join(dir, 'xdr.har');
  const at = (ms: number) => new Date(Date.parse('2026-12-01T09:00:00.000Z') + ms).toISOString();
  fs.writeFileSync(
    file,
    JSON.stringify(
      har([
        entry({ startedDateTime: at(0), time: 120, request: { url: 'https://xdr.eu.security.cisco.com/dashboard', cookies: [{ name: 'sid', value: COOKIE }] } }),
        entry({
          startedDateTime: at(300),
          time: 250,
          request: {
            method: 'POST',
            url: 'https://visibility.eu.amp.cisco.com/iroh/oauth2/token',
            headers: [{ name: 'Authorization', value: `Bearer ${BEARER}` }, { name: 'Accept', value: 'application/json' }],
            postData: { mimeType: 'application/x-www-form-urlencoded', text: `grant_type=client_credentials&client_secret=${CLIENT_SECRET}` },
          },
          response: { content: { size: 200, mimeType: 'application/json', text: JSON.stringify({ access_token: ACCESS, token_type: 'bearer', expires_in: 600 }) } },
          timings: { blocked: 2, dns: 5, connect: 10, ssl: 20, send: 1, wait: 200, receive: 12 },
        }),
        entry({
          startedDateTime: at(1000),
          time: 400,
          request: { method: 'POST', url: 'https://visibility.eu.amp.cisco.com/iroh/iroh-enrich/health/abc?mids=abc' },
          response: { status: 409, statusText: 'Conflict', content: { size: 90, mimeType: 'application/json', text: '{"errors":[{"code":"E4017","message":"Device is offline"}]}' } },
        }),
      ]),
    ),
  );
  return file;
}

async function ok<T>(r: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await r;
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return result.value as T;
}

describe('HAR inspector: the cleaned copy request by request', () => {
  it('lists every request on the scale of the whole capture, with timings, failures and XDR API calls', async () => {
    const dir = tempDir();
    const dialogs: Dialogs = { chooseSaveFile: async () => null, chooseOpenFile: async () => null, chooseOpenFiles: async () => [capture(dir)] };
    const core = testCore({ dialogs });
    const id = (await ok<{ files: { id: string }[] }>(core.dispatcher.dispatch('har.importDialog', {}))).files[0]!.id;
    expect(await core.dispatcher.dispatch('har.entries', { id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.harInspector.notReviewed' } });
    await ok(core.dispatcher.dispatch('har.review', { id }));

    const list = await ok<HarEntries>(core.dispatcher.dispatch('har.entries', { id }));
    expect(list).toMatchObject({ durationMs: 1400, total: 3, truncated: false });
    expect(list.rows.map((r) => [r.index, r.startMs, r.timeMs, r.failed, r.xdrApi])).toEqual([
      [0, 0, 120, false, false],
      [1, 300, 250, false, true],
      [2, 1000, 400, true, true],
    ]);
    expect(list.rows[1]!.timings).toEqual({ blocked: 2, dns: 5, connect: 10, ssl: 20, send: 1, wait: 200, receive: 12 });
    expect(list.rows[2]!.url).toBe('https://visibility.eu.amp.cisco.com/iroh/iroh-enrich/health/abc?mids');

    const detail = await ok<HarEntryDetail>(core.dispatcher.dispatch('har.entry', { id, index: 1 }));
    const text = JSON.stringify(detail);
    for (const secret of [BEARER, ACCESS, CLIENT_SECRET]) expect(text).not.toContain(secret);
    expect(detail.entry.request.headers).toContainEqual({ name: 'Accept', value: 'application/json' });
    expect(detail.entry.request.headers.find((h) => h.name === 'Authorization')!.value).toMatch(/^Bearer \[REDACTED:authorization:[0-9a-f]{6}\]$/);
    expect(detail.entry.request.body!.preview).toMatch(/^grant_type=client_credentials&client_secret=%5BREDACTED%3Aform%3A[0-9a-f]{6}%5D$/);
    const body = JSON.parse(detail.entry.response.body!.preview);
    // token_type names the kind of token, not a secret: TAC needs it to read the flow.
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 600, access_token: expect.stringMatching(/^\[REDACTED:/) });
    expect(detail.replacements).toEqual(
      expect.arrayContaining([
        { place: 'request-header', name: 'Authorization', placeholder: expect.stringMatching(/^\[REDACTED:authorization:/), rule: 'authorization', before: null },
        expect.objectContaining({ place: 'request-body', name: 'client_secret', rule: 'form' }),
        expect.objectContaining({ place: 'response-body', name: 'access_token' }),
      ]),
    );

    // Before/after on demand: a hint of each replaced header value, never the value.
    const both = await ok<HarEntryDetail>(core.dispatcher.dispatch('har.entry', { id, index: 1, original: true }));
    expect(both.replacements.find((r) => r.name === 'Authorization')!.before).toBe(`Be… (${`Bearer ${BEARER}`.length})`);
    for (const secret of [BEARER, ACCESS, CLIENT_SECRET]) expect(JSON.stringify(both)).not.toContain(secret);
    const first = await ok<HarEntryDetail>(core.dispatcher.dispatch('har.entry', { id, index: 0, original: true }));
    expect(first.replacements).toEqual([expect.objectContaining({ place: 'request-cookie', name: 'sid', before: `se… (${COOKIE.length})` })]);
    expect(core.logger.lines.join('\n')).not.toContain(BEARER);

    expect(await core.dispatcher.dispatch('har.entry', { id, index: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'index', key: 'errors.harInspector.noEntry' } });
    expect(await core.dispatcher.dispatch('har.entry', { id, index: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'index' } });
    core.close();
  });
});
