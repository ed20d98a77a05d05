import { TokenInput } from '../../../electron/contract/checks.js';
import type { RegionId } from '../../../electron/contract/profiles.js';
import { localInputToIso } from './checks-view.js';

/** The registration-token fields as typed. The token itself lives only here, never in a store. */
export interface TokenForm {
  value: string;
  /** `datetime-local` value (this computer's wall-clock time). */
  createdAt: string;
  lifetime: string;
  region: '' | RegionId;
}

export function emptyTokenForm(): TokenForm {
  return { value: '', createdAt: '', lifetime: '', region: '' };
}

export function tokenGiven(f: TokenForm): boolean {
  return f.value !== '' || f.createdAt !== '' || f.lifetime.trim() !== '' || f.region !== '';
}

/**
 * The request's `token`, validated with the contract's own schema; errors are keyed by the
 * request field (`token.lifetime`, …) like the server's, so both show in the same place.
 */
export function tokenFromForm(f: TokenForm): { token: TokenInput | undefined; errors: Record<string, string> } {
  if (!tokenGiven(f)) return { token: undefined, errors: {} };
  const input = {
    value: f.value,
    ...(f.createdAt ? { createdAt: localInputToIso(f.createdAt) ?? f.createdAt } : {}),
    ...(f.lifetime.trim() ? { lifetime: f.lifetime.trim() } : {}),
    ...(f.region ? { region: f.region } : {}),
  };
  const parsed = TokenInput.safeParse(input);
  if (parsed.success) return { token: parsed.data, errors: {} };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[['token', ...issue.path.map(String)].join('.')] ??= issue.message;
  return { token: undefined, errors };
}
