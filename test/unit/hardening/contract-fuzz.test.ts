import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { commandNames, type CommandName } from '../../../electron/contract/names.js';
import { errorCodes, type Result } from '../../../electron/contract/result.js';
import { startWebHost, type WebHost } from '../../../electron/web/server.js';
import { simulatedSetup } from '../../support/checks.js';
import { assertProperty, badPayloads, deepArrayText, deepObjectText, hostilePayloads, prototypesSnapshot, rejects, stateOf, wellShaped } from '../../support/contract-fuzz.js';
import { testCore } from '../../support/core.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';

/**
 * Every command of the contract (taken from its list, so a new one is fuzzed too) gets generated
 * bad requests, straight through the dispatcher and over HTTP through the web host. Each must be
 * refused with a typed error, and nothing may change: not the database, not the data folder, not
 * the services' session state, not the built-in prototypes. Requests the schema accepts, on a
 * fresh data folder and on that state, may be refused but never answer INTERNAL.
 */

const SEED = 0x5ec_f022;
const RUNS_PER_COMMAND = 50;
const HTTP_RUNS_PER_COMMAND = 20;
const VALID_RUNS_PER_COMMAND = 25;
/** Commands a well-formed request sends onto the network (a host name from the request). */
const REACHES_NETWORK: readonly CommandName[] = ['profiles.fetchCertificate'];
const CHROME_HAR = path.resolve(import.meta.dirname, '../../fixtures/har/chrome-export.har');

type Answer = Result<unknown>;
const MAX_MESSAGE = 1000;

function expectTypedRefusal(r: Answer, code: string = 'INVALID_REQUEST'): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe(code);
  expect(typeof r.error.message).toBe('string');
  expect(r.error.field === undefined || typeof r.error.field === 'string').toBe(true);
  // A refusal names what is wrong; it never echoes a megabyte the client sent.
  expect(r.error.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  expect(r.error.field?.length ?? 0).toBeLessThanOrEqual(MAX_MESSAGE);
}

const errorLines = (lines: string[]) => lines.filter((l) => /command failed|request failed|"level":"error"/.test(l));

describe('contract fuzzing', () => {
  let setup: Awaited<ReturnType<typeof simulatedSetup>>;
  let host: WebHost;
  let agent: http.Agent;

  beforeAll(async () => {
    // State for the bad requests to (not) change: a profile with two secrets, a finished run, an imported HAR, a setting.
    setup = await simulatedSetup({ mode: 'healthy' });
    const { core, profile } = setup;
    core.secrets.set(profile.id, 'cxd-token', 'planted-cxd-token-value');
    await core.checks.start({ profileId: profile.id }).done;
    await core.har.importPath(CHROME_HAR);
    core.settings.set({ language: 'de' });
    host = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir: tempDir(), har: core.har, archive: core.archive });
    agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  }, 60_000);

  afterAll(async () => {
    agent.destroy();
    await host.close();
    await setup.close();
  });

  function post(command: string, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: `/api/${command}`,
          agent,
          headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('refuses every bad request sent straight to the dispatcher with INVALID_REQUEST and changes nothing', async () => {
    const { core } = setup;
    const before = stateOf(core);
    const prototypes = prototypesSnapshot();
    const perCommand = new Map<CommandName, number>();
    const send = async (name: CommandName, payload: unknown) => {
      perCommand.set(name, (perCommand.get(name) ?? 0) + 1);
      expectTypedRefusal(await core.dispatcher.dispatch(name, payload));
    };
    for (const name of commandNames) {
      await assertProperty(
        fc.asyncProperty(badPayloads(name, { json: false }), async (payload) => {
          if (rejects(name, payload)) await send(name, payload);
        }),
        { seed: SEED, numRuns: RUNS_PER_COMMAND },
      );
      for (const { payload } of hostilePayloads(name, { json: false })) if (rejects(name, payload)) await send(name, payload);
    }
    expect(stateOf(core)).toEqual(before);
    expect(prototypesSnapshot()).toEqual(prototypes);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(errorLines(core.logger.lines)).toEqual([]);
    // Every command was fuzzed, and with more than a handful of requests.
    expect([...perCommand.keys()].sort()).toEqual([...commandNames].sort());
    for (const [name, n] of perCommand) expect(n, name).toBeGreaterThan(RUNS_PER_COMMAND / 2);
    const tried = [...perCommand.values()].reduce((a, b) => a + b, 0);
    recordReliability('contract-fuzz-dispatcher', {
      area: 'Contract fuzzing',
      measure: `invalid payloads through the dispatcher, all ${commandNames.length} commands (wrong types, missing/extra fields, 1–5 MB strings, 10 000-deep nesting, own __proto__/constructor/prototype keys, NaN/Infinity)`,
      value: tried,
      outcome: '0 throws, 0 untyped errors (all INVALID_REQUEST, message and field ≤ 1,000 characters), 0 state changes, 0 prototype pollution',
    });
  }, 120_000);

  it('refuses every bad request over HTTP with a typed error, never a 500, and changes nothing', async () => {
    const { core } = setup;
    const before = stateOf(core);
    const prototypes = prototypesSnapshot();
    const statuses = new Map<number, number>();
    const perCommand = new Map<CommandName, number>();
    const send = async (name: CommandName, body: string) => {
      perCommand.set(name, (perCommand.get(name) ?? 0) + 1);
      const r = await post(name, body);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const answer = JSON.parse(r.body) as Answer;
      if (r.status === 413) expectTypedRefusal(answer, 'TOO_LARGE');
      else {
        expect(r.status, `${name} ${body.slice(0, 200)}`).toBe(200);
        expectTypedRefusal(answer);
      }
    };
    const rejectsText = (name: CommandName, body: string) => rejects(name, body === '' ? {} : JSON.parse(body));
    for (const name of commandNames) {
      await assertProperty(
        fc.asyncProperty(badPayloads(name, { json: true }), async (payload) => {
          const body = JSON.stringify(payload) ?? '';
          if (rejectsText(name, body)) await send(name, body);
        }),
        { seed: SEED, numRuns: HTTP_RUNS_PER_COMMAND },
      );
      for (const { label, payload } of hostilePayloads(name, { json: true })) {
        // JSON.stringify itself overflows on 10 000-deep values: those go as the text they were parsed from.
        const body = label.includes('deep') ? deepBody(label) : JSON.stringify(payload);
        if (rejectsText(name, body)) await send(name, body);
      }
    }
    expect(stateOf(core)).toEqual(before);
    expect(prototypesSnapshot()).toEqual(prototypes);
    expect(errorLines(core.logger.lines)).toEqual([]);
    expect([...perCommand.keys()].sort()).toEqual([...commandNames].sort());
    expect(statuses.get(413) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].sort()).toEqual([200, 413]);
    const tried = [...perCommand.values()].reduce((a, b) => a + b, 0);
    recordReliability('contract-fuzz-web-host', {
      area: 'Contract fuzzing',
      measure: `invalid payloads over HTTP through the web host (with its token), all ${commandNames.length} commands`,
      value: tried,
      outcome: `0 HTTP 500s, 0 untyped errors (${statuses.get(200) ?? 0} INVALID_REQUEST, ${statuses.get(413) ?? 0} TOO_LARGE over 1 MB), 0 state changes, 0 prototype pollution`,
    });
  }, 120_000);

  it('answers malformed JSON bodies with 400 INVALID_REQUEST', async () => {
    let tried = 0;
    // What JSON cannot carry, as a client might still send it.
    for (const text of ['{"theme": NaN}', '{"limit": Infinity}', '{"limit": -Infinity}', "{'theme':'dark'}", '{"theme":"dark",}', '{"a":1}{"b":2}', '\u0000', '{"__proto__":']) {
      tried++;
      const r = await post('settings.set', text);
      expect(r.status, text).toBe(400);
      expectTypedRefusal(JSON.parse(r.body) as Answer);
    }
    await assertProperty(
      fc.asyncProperty(fc.constantFrom(...commandNames), fc.string({ minLength: 1, maxLength: 40 }), async (name, text) => {
        try {
          JSON.parse(text);
          return;
        } catch {
          tried++;
        }
        const r = await post(name, text);
        expect(r.status).toBe(400);
        expectTypedRefusal(JSON.parse(r.body) as Answer);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(tried).toBeGreaterThan(100);
    recordReliability('contract-fuzz-malformed-json', {
      area: 'Contract fuzzing',
      measure: 'malformed JSON bodies over HTTP (NaN, Infinity, single quotes, trailing commas, random text)',
      value: tried,
      outcome: 'all answered 400 INVALID_REQUEST',
    });
  });

  /**
   * Schema-valid generated requests for every command but `skip`; destructive ones last, so the
   * others meet the stored state. Every answer is ok or a typed error other than INTERNAL.
   */
  async function fuzzValid(core: ReturnType<typeof testCore>, known: string[], skip: readonly CommandName[]) {
    const accepted = new Map<CommandName, number>();
    let answeredOk = 0;
    const destructive = (n: string) => /delete|remove|clear|lock|setPassphrase/.test(n);
    const names = commandNames.filter((n) => !skip.includes(n)).sort((a, b) => Number(destructive(a)) - Number(destructive(b)));
    for (const name of names) {
      await assertProperty(
        fc.asyncProperty(wellShaped(name, known), async (payload) => {
          if (rejects(name, payload)) return;
          accepted.set(name, (accepted.get(name) ?? 0) + 1);
          const r = await core.dispatcher.dispatch(name, payload);
          if (r.ok) answeredOk++;
          else {
            expect(errorCodes).toContain(r.error.code);
            expect(r.error.code, `${name}: ${r.error.message}`).not.toBe('INTERNAL');
          }
        }),
        { seed: SEED, numRuns: VALID_RUNS_PER_COMMAND },
      );
    }
    expect(errorLines(core.logger.lines)).toEqual([]);
    for (const name of names) expect(accepted.get(name) ?? 0, name).toBeGreaterThan(0);
    return { commands: names.length, tried: [...accepted.values()].reduce((a, b) => a + b, 0), answeredOk };
  }

  it('never crashes on a request its schema accepts (fresh data folder)', async () => {
    const core = testCore();
    try {
      const { commands, tried } = await fuzzValid(core, [], REACHES_NETWORK);
      recordReliability('contract-fuzz-valid', {
        area: 'Contract fuzzing',
        measure: `schema-valid generated requests through the dispatcher on a fresh data folder (${commands} commands; profiles.fetchCertificate left out: it connects to the named host)`,
        value: tried,
        outcome: '0 throws, 0 INTERNAL errors',
      });
    } finally {
      core.close();
    }
  }, 120_000);

  // Last in this file: it changes the state the tests above keep unchanged.
  it('never crashes on a request its schema accepts, with the stored profile, run and HAR file named in it', async () => {
    const { core, profile } = setup;
    const known = [profile.id, profile.name, ...core.checks.list(profile.id, 5).runs.map((r) => r.id), ...core.har.list().map((h) => h.id)];
    expect(known).toHaveLength(4);
    // checks.start and checks.startAll on the stored profile would run checks in the background, past this test.
    const { commands, tried, answeredOk } = await fuzzValid(core, known, [...REACHES_NETWORK, 'checks.start', 'checks.startAll']);
    // The stored ids got the handlers past "not found" (and the destructive commands did their work last).
    expect(answeredOk).toBeGreaterThan(tried / 3);
    recordReliability('contract-fuzz-valid-stored', {
      area: 'Contract fuzzing',
      measure: `schema-valid generated requests naming a stored profile, run and HAR file (${commands} commands; checks.start, checks.startAll and profiles.fetchCertificate left out: they reach the network)`,
      value: tried,
      outcome: `0 throws, 0 INTERNAL errors (${answeredOk} answered ok)`,
    });
  }, 120_000);
});

/** The 10 000-deep hostile payloads as JSON text, built the way hostilePayloads parsed them. */
function deepBody(label: string): string {
  const deep = label.endsWith('object') ? deepObjectText('a') : deepArrayText();
  const key = label.split(' = ')[0]!;
  return key === 'request' ? deep : `{${JSON.stringify(key)}:${deep}}`;
}
