import type { Language } from '../../contract/commands.js';
import type { VaultStatus } from '../../contract/profiles.js';
import { call, command, type CliCommand } from '../command.js';
import { UsageError } from '../io.js';
import { cliText, labelled } from '../text.js';
import { readSecretFromStdin } from './profiles.js';

const STATE = { uninitialized: 'cli.vault.uninitialized', locked: 'cli.vault.locked', unlocked: 'cli.vault.unlocked' } as const;

export function vaultText(v: VaultStatus, lang: Language): string {
  const how = v.methods.length ? v.methods.map((m) => cliText(lang, m === 'passphrase' ? 'cli.vault.byPassphrase' : 'cli.vault.byKeychain')).join(cliText(lang, 'cli.vault.or')) : '–';
  return labelled([
    [cliText(lang, 'cli.vault.vault'), cliText(lang, STATE[v.state])],
    [cliText(lang, 'cli.vault.opensWith'), how],
  ]);
}

export const vaultCommands: CliCommand[] = [
  command({
    name: 'vault status',
    usage: 'xet vault status [--json]',
    summary: 'cli.help.vaultStatus',
    options: {},
    run: (ctx) => call(ctx, 'vault.status', {}, vaultText),
  }),
  command({
    name: 'vault set-passphrase',
    usage: 'xet vault set-passphrase < passphrase',
    summary: 'cli.help.vaultSetPassphrase',
    options: {},
    async run(ctx) {
      let passphrase: string;
      if (ctx.io.isTty && ctx.io.promptHidden) {
        passphrase = await ctx.io.promptHidden(cliText(ctx.lang(), 'cli.prompt.newPassphrase'));
        if ((await ctx.io.promptHidden(cliText(ctx.lang(), 'cli.prompt.repeat'))) !== passphrase) throw UsageError.of('cli.usage.passphrasesDifferUnchanged');
      } else {
        passphrase = await readSecretFromStdin(ctx, 'vault set-passphrase');
      }
      return call(ctx, 'vault.setPassphrase', { passphrase }, (v, lang) => `${cliText(lang, 'cli.vault.passphraseSet')}\n${vaultText(v, lang)}`);
    },
  }),
];
