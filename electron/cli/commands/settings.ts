import { Language, Theme, type AppInfo, type RequestOf, type Settings } from '../../contract/commands.js';
import { call, command, flagValue, type CliCommand } from '../command.js';
import { UsageError } from '../io.js';

const showSettings = (v: Settings) => `language: ${v.language}\ntheme:    ${v.theme}\nproxy:    ${v.proxy ?? 'none (HTTPS_PROXY from the environment, if set)'}`;

export const settingsCommands: CliCommand[] = [
  command({
    name: 'info',
    usage: 'xet info [--json]',
    summary: 'Show version, data folder and secret backend.',
    options: {},
    run: (ctx) =>
      call(ctx, 'app.info', {}, (v: AppInfo) =>
        [`${v.name} ${v.version}`, `data folder:    ${v.dataDir}`, `secret backend: ${v.secretBackend.detail}${v.secretBackend.available ? '' : ' (not set up)'}`].join('\n'),
      ),
  }),
  command({
    name: 'settings get',
    usage: 'xet settings get [--json]',
    summary: 'Show the language, theme and proxy setting.',
    options: {},
    run: (ctx) => call(ctx, 'settings.get', {}, showSettings),
  }),
  command({
    name: 'settings set',
    usage: 'xet settings set [--language en|de] [--theme system|light|dark] [--proxy URL|none] [--json]',
    summary: 'Change the language, theme, or the proxy for the cloud checks (credentials are refused: use HTTPS_PROXY for those).',
    options: { language: { type: 'string' }, theme: { type: 'string' }, proxy: { type: 'string' } },
    flags: { '--language': 'language', '--theme': 'theme', '--proxy': 'proxy' },
    run: (ctx, values) => {
      const req: RequestOf<'settings.set'> = {};
      if (values.language !== undefined) req.language = flagValue('--language', 'language', Language, values.language);
      if (values.theme !== undefined) req.theme = flagValue('--theme', 'theme', Theme, values.theme);
      if (values.proxy !== undefined) req.proxy = values.proxy === 'none' ? null : values.proxy;
      if (Object.keys(req).length === 0) throw new UsageError('settings set: give --language, --theme and/or --proxy');
      return call(ctx, 'settings.set', req, showSettings);
    },
  }),
];
