import type { Database, Statement } from 'better-sqlite3';
import { Settings, type Settings as SettingsT } from '../../contract/commands.js';
import type { EventBus } from '../event-bus.js';

/** Language, theme and proxy, persisted in the settings table; defaults come from the host (OS locale). */
export class SettingsService {
  private readonly select: Statement<[string], { value: string }>;
  private readonly upsert: Statement<[string, string, string]>;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly defaults: SettingsT,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsert = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  get(): SettingsT {
    const read = (key: keyof SettingsT): unknown => {
      const row = this.select.get(key);
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    };
    // A value that no longer fits the schema (hand-edited DB, older build) falls back to the default.
    const language = Settings.shape.language.safeParse(read('language'));
    const theme = Settings.shape.theme.safeParse(read('theme'));
    const proxy = Settings.shape.proxy.safeParse(read('proxy'));
    return {
      language: language.success ? language.data : this.defaults.language,
      theme: theme.success ? theme.data : this.defaults.theme,
      proxy: proxy.success ? proxy.data : this.defaults.proxy,
    };
  }

  set(patch: Partial<SettingsT>): SettingsT {
    const now = this.clock().toISOString();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) this.upsert.run(key, JSON.stringify(value), now);
      }
    })();
    const next = this.get();
    this.bus.emit('settings.changed', next);
    return next;
  }
}

// Kept importable from here; it lives apart so `xet --help` can take it without loading the store.
export { languageFromLocale } from './locale.js';
