/**
 * The vault passphrase a host was started with. Apart from host-defaults.ts (which pulls in the
 * settings service) so that the CLI can take it out of the environment at start without loading
 * more than this file.
 */

/** Reads XET_VAULT_PASSPHRASE once and removes it from the environment, so child processes never inherit it. */
export function takeVaultPassphrase(env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env.XET_VAULT_PASSPHRASE;
  delete env.XET_VAULT_PASSPHRASE;
  return value && value.length > 0 ? value : undefined;
}
