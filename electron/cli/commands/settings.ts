import type { AppInfo, Settings } from '../../contract/commands.js';
import { call, type CliCommand } from '../command.js';
import { UsageError } from '../io.js';

const showSettings = (v: Settings) => `language: ${v.language}\ntheme:    ${v.theme}`;

export const settingsCommands: CliCommand[] = [
  {
    name: 'info',
    usage: 'xet info [--json]',
    summary: 'Show version, data folder and secret backend.',
    options: {},
    run: (ctx) =>
      call(ctx, 'app.info', {}, (v: AppInfo) =>
        [`${v.name} ${v.version}`, `data folder:    ${v.dataDir}`, `secret backend: ${v.secretBackend.detail}${v.secretBackend.available ? '' : ' (not set up)'}`].join('\n'),
      ),
  },
  {
    name: 'settings get',
    usage: 'xet settings get [--json]',
    summary: 'Show the language and theme the desktop app uses.',
    options: {},
    run: (ctx) => call(ctx, 'settings.get', {}, showSettings),
  },
  {
    name: 'settings set',
    usage: 'xet settings set [--language en|de] [--theme system|light|dark] [--json]',
    summary: 'Change the language and/or theme.',
    options: { language: { type: 'string' }, theme: { type: 'string' } },
    run: (ctx, values) => {
      const req: Record<string, unknown> = {};
      if (values.language !== undefined) req.language = values.language;
      if (values.theme !== undefined) req.theme = values.theme;
      if (Object.keys(req).length === 0) throw new UsageError('settings set: give --language and/or --theme');
      return call(ctx, 'settings.set', req, showSettings);
    },
  },
];
