import type { VaultStatus } from '../../contract/profiles.js';
import { call, command, type CliCommand } from '../command.js';
import { UsageError } from '../io.js';
import { readSecretFromStdin } from './profiles.js';

export function vaultText(v: VaultStatus): string {
  const how = v.methods.length ? v.methods.map((m) => (m === 'passphrase' ? 'passphrase' : 'desktop app’s OS keychain')).join(' or ') : '–';
  return `vault:     ${v.state === 'uninitialized' ? 'not set up yet' : v.state}\nopens with: ${how}`;
}

export const vaultCommands: CliCommand[] = [
  command({
    name: 'vault status',
    usage: 'xet vault status [--json]',
    summary: 'Whether the credential vault exists and how it opens.',
    options: {},
    run: (ctx) => call(ctx, 'vault.status', {}, vaultText),
  }),
  command({
    name: 'vault set-passphrase',
    usage: 'xet vault set-passphrase < passphrase',
    summary: 'Create the vault with a passphrase, or add/replace it (the vault must open first).',
    options: {},
    async run(ctx) {
      let passphrase: string;
      if (ctx.io.isTty && ctx.io.promptHidden) {
        passphrase = await ctx.io.promptHidden('New vault passphrase (12+ characters): ');
        if ((await ctx.io.promptHidden('Repeat it: ')) !== passphrase) throw new UsageError('the two passphrases differ; nothing changed');
      } else {
        passphrase = await readSecretFromStdin(ctx, 'vault set-passphrase');
      }
      return call(ctx, 'vault.setPassphrase', { passphrase }, (v) => `Vault passphrase set.\n${vaultText(v)}`);
    },
  }),
];
