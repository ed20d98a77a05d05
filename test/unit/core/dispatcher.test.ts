import { AppError } from '../../../electron/core/errors.js';
import { createDispatcher, type Handlers } from '../../../electron/core/dispatcher.js';
import { MemoryLogger } from '../../../electron/core/logging/logger.js';

/** The handlers these tests call; the dispatcher's validation and error paths are what is under test. */
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const base: Partial<Handlers> = {
    'app.info': () => ({
      name: 'x',
      version: '1',
      dataDir: '/d',
      transport: 'cli',
      platform: 'linux',
      secretBackend: { kind: 'passphrase', detail: 'd', available: true },
    }),
    'settings.get': () => ({ language: 'en', theme: 'system', proxy: null }),
    'settings.set': (req) => ({ language: req.language ?? 'en', theme: req.theme ?? 'system', proxy: req.proxy ?? null }),
  };
  return { ...base, ...overrides } as Handlers;
}

describe('dispatcher', () => {
  it('answers a valid command with ok and the handler value', async () => {
    const d = createDispatcher(handlers(), new MemoryLogger());
    expect(await d.dispatch('settings.set', { language: 'de' })).toEqual({ ok: true, value: { language: 'de', theme: 'system', proxy: null } });
  });

  it('treats a missing payload as an empty request', async () => {
    const d = createDispatcher(handlers(), new MemoryLogger());
    expect(await d.dispatch('settings.get', undefined)).toMatchObject({ ok: true });
  });

  it('refuses an unknown command with UNKNOWN_COMMAND', async () => {
    const d = createDispatcher(handlers(), new MemoryLogger());
    for (const name of ['settings.delete', '', '__proto__', 'constructor', 123, null, { a: 1 }]) {
      const r = await d.dispatch(name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    }
  });

  it('names the offending field of an invalid request', async () => {
    const d = createDispatcher(handlers(), new MemoryLogger());
    const r = await d.dispatch('settings.set', { theme: 'neon' });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        field: 'theme',
        message: expect.stringMatching(/settings\.set: field "theme".*system.*light.*dark/),
        // The sentence around zod's detail is the catalogue's, so each edge shows it in its language.
        key: 'errors.request.field',
        params: { command: 'settings.set', field: 'theme', detail: expect.stringMatching(/system.*light.*dark/) },
      },
    });
  });

  it('refuses fields the contract does not know, including prototype keys', async () => {
    const d = createDispatcher(handlers(), new MemoryLogger());
    const r1 = await d.dispatch('settings.set', { language: 'en', admin: true });
    expect(r1).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'admin' } });
    const r2 = await d.dispatch('settings.set', JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(r2).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: '__proto__' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a payload that is not an object', async () => {
    const d = createDispatcher(handlers(), new MemoryLogger());
    for (const payload of ['x', 5, [], null, true]) {
      expect(await d.dispatch('settings.get', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
  });

  it('passes an AppError through with its code, message and field', async () => {
    const d = createDispatcher(
      handlers({
        'settings.get': () => {
          throw new AppError('NOT_FOUND', 'Profile "lab" does not exist', 'name');
        },
      }),
      new MemoryLogger(),
    );
    expect(await d.dispatch('settings.get', {})).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Profile "lab" does not exist', field: 'name' },
    });
  });

  it('turns a crash into INTERNAL with a log reference and no stack trace', async () => {
    const log = new MemoryLogger();
    const d = createDispatcher(
      handlers({
        'settings.get': async () => {
          throw new TypeError('boom at secret place');
        },
      }),
      log,
    );
    const r = await d.dispatch('settings.get', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INTERNAL');
    expect(r.error.message).not.toMatch(/boom|at |\.ts/);
    const ref = /log reference (\w+)/.exec(r.error.message)?.[1];
    expect(ref).toBeTruthy();
    expect(log.lines.some((l) => l.includes(ref!) && l.includes('boom at secret place'))).toBe(true);
  });
});
