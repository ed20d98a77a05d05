import type { Profile, ProfileFields } from '../../../electron/contract/profiles.js';
import { ProfileInput } from '../../../electron/contract/profiles.js';

/** What the profile form edits: strings as typed, so half-typed input never turns into a silent value. */
export interface ProfileFormState {
  name: string;
  kind: ProfileFields['kind'];
  host: string;
  region: ProfileFields['region'];
  httpsPort: string;
  httpsEnabled: boolean;
  httpPort: string;
  httpEnabled: boolean;
  username: string;
  cluster: string;
  notes: string;
  trustMode: 'system' | 'pin' | 'ca';
  pin: string;
  caPem: string;
  caFileName: string;
  xdrClientId: string;
}

export function emptyForm(): ProfileFormState {
  return {
    name: '',
    kind: 'esa',
    host: '',
    region: 'eu',
    httpsPort: '6443',
    httpsEnabled: true,
    httpPort: '6080',
    httpEnabled: true,
    username: '',
    cluster: '',
    notes: '',
    trustMode: 'system',
    pin: '',
    caPem: '',
    caFileName: '',
    xdrClientId: '',
  };
}

/** The form for an existing profile. */
export function formFromProfile(p: Profile): ProfileFormState {
  return {
    ...emptyForm(),
    name: p.name,
    kind: p.kind,
    host: p.host,
    region: p.region,
    httpsPort: String(p.httpsPort),
    httpsEnabled: p.httpsEnabled,
    httpPort: String(p.httpPort),
    httpEnabled: p.httpEnabled,
    username: p.username,
    cluster: p.cluster ?? '',
    notes: p.notes,
    trustMode: p.trust.mode,
    pin: p.trust.mode === 'pin' ? p.trust.sha256 : '',
    caPem: p.trust.mode === 'ca' ? p.trust.pem : '',
    caFileName: p.trust.mode === 'ca' ? p.trust.subject : '',
    xdrClientId: p.xdrClientId ?? '',
  };
}

const port = (s: string): unknown => (/^\s*\d+\s*$/.test(s) ? Number(s) : s === '' ? undefined : s);

/** The contract request built from the form. */
export function toInput(f: ProfileFormState): Record<string, unknown> {
  const trust = f.trustMode === 'pin' ? { mode: 'pin', sha256: f.pin } : f.trustMode === 'ca' ? { mode: 'ca', pem: f.caPem } : { mode: 'system' };
  return {
    name: f.name,
    kind: f.kind,
    host: f.host,
    region: f.region,
    httpsPort: port(f.httpsPort),
    httpsEnabled: f.httpsEnabled,
    httpPort: port(f.httpPort),
    httpEnabled: f.httpEnabled,
    username: f.username,
    cluster: f.cluster,
    notes: f.notes,
    trust,
    // Left out when empty: an update without it stores no client, so clearing the field removes it.
    ...(f.xdrClientId.trim() !== '' ? { xdrClientId: f.xdrClientId } : {}),
  };
}

/** First error message per field path (`host`, `httpsPort`, `trust.sha256`, …), from the contract's own schema. */
export function validate(f: ProfileFormState): Record<string, string> {
  const result = ProfileInput.safeParse(toInput(f));
  const errors: Record<string, string> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= issue.message;
  }
  return errors;
}
