import { Language, Theme, type AppInfo, type RequestOf, type Settings } from '../../contract/commands.js';
import { call, command, flagValue, type CliCommand } from '../command.js';
import { UsageError } from '../io.js';
import { cliText, labelled } from '../text.js';

const showSettings = (v: Settings, lang: Language) =>
  labelled([
    [cliText(lang, 'cli.settings.language'), v.language],
    [cliText(lang, 'cli.settings.theme'), v.theme],
    [cliText(lang, 'cli.settings.proxy'), v.proxy ?? cliText(lang, 'cli.settings.noProxy')],
  ]);

export const settingsCommands: CliCommand[] = [
  command({
    name: 'info',
    usage: 'xet info [--json]',
    summary: 'cli.help.info',
    options: {},
    run: (ctx) =>
      call(ctx, 'app.info', {}, (v: AppInfo, lang) => {
        const backend = v.secretBackend.available ? v.secretBackend.detail : cliText(lang, 'cli.settings.backendNotSetUp', { detail: v.secretBackend.detail });
        return `${v.name} ${v.version}\n${labelled([
          [cliText(lang, 'cli.settings.dataDir'), v.dataDir],
          [cliText(lang, 'cli.settings.secretBackend'), backend],
        ])}`;
      }),
  }),
  command({
    name: 'settings get',
    usage: 'xet settings get [--json]',
    summary: 'cli.help.settingsGet',
    options: {},
    run: (ctx) => call(ctx, 'settings.get', {}, showSettings),
  }),
  command({
    name: 'settings set',
    usage: 'xet settings set [--language en|de] [--theme system|light|dark] [--proxy URL|none] [--json]',
    summary: 'cli.help.settingsSet',
    options: { language: { type: 'string' }, theme: { type: 'string' }, proxy: { type: 'string' } },
    flags: { '--language': 'language', '--theme': 'theme', '--proxy': 'proxy' },
    run: (ctx, values) => {
      const req: RequestOf<'settings.set'> = {};
      if (values.language !== undefined) req.language = flagValue('--language', 'language', Language, values.language);
      if (values.theme !== undefined) req.theme = flagValue('--theme', 'theme', Theme, values.theme);
      if (values.proxy !== undefined) req.proxy = values.proxy === 'none' ? null : values.proxy;
      if (Object.keys(req).length === 0) throw UsageError.of('cli.usage.settingsNothing');
      // Shown in the language just set.
      return call(ctx, 'settings.set', req, showSettings);
    },
  }),
];
