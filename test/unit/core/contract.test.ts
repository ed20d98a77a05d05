import { buildApi, commandNames, commands, eventNames, events, isCommandName } from '../../../electron/contract/index.js';

describe('contract', () => {
  it('defines exactly one schema for every command name and no others', () => {
    expect(Object.keys(commands).sort()).toEqual([...commandNames].sort());
    expect(Object.keys(events).sort()).toEqual([...eventNames].sort());
  });

  it('names every command domain.method', () => {
    for (const name of commandNames) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });

  it('recognises only contract names', () => {
    expect(isCommandName('settings.get')).toBe(true);
    expect(isCommandName('settings.drop')).toBe(false);
    expect(isCommandName('__proto__')).toBe(false);
    expect(isCommandName(42)).toBe(false);
  });

  it('builds a grouped API that forwards every command with its name and request', async () => {
    const calls: [string, unknown][] = [];
    const api = buildApi(
      async (command, request) => {
        calls.push([command, request]);
        return { ok: true, value: null };
      },
      () => () => undefined,
    );
    await api.settings.set({ language: 'de' });
    await api.settings.get();
    await api.app.info();
    expect(calls).toEqual([
      ['settings.set', { language: 'de' }],
      ['settings.get', {}],
      ['app.info', {}],
    ]);
  });

  it('refuses to subscribe to an event outside the contract', () => {
    const api = buildApi(
      async () => ({ ok: true, value: null }),
      () => () => undefined,
    );
    expect(() => api.events.on('shell.exec' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
