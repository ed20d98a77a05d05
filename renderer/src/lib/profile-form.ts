import type { CertificateInfo, Profile, ProfileFields } from '../../../electron/contract/profiles.js';
import { groupFingerprint, ProfileInput } from '../../../electron/contract/profiles.js';
import { profileIssueKey } from '../../../electron/contract/profile-issues.js';
import type { Key } from './i18n.svelte.js';

/** What the profile form edits: strings as typed, so half-typed input never turns into a silent value. */
export interface ProfileFormState {
  name: string;
  kind: ProfileFields['kind'];
  host: string;
  /** Empty until the user picks one: a wrong region sends the appliance to the wrong cloud, so none is assumed. */
  region: ProfileFields['region'] | '';
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
    region: '',
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
    pin: p.trust.mode === 'pin' ? groupFingerprint(p.trust.sha256) : '',
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

/** A field's message: a catalogue key and its parameters, in whatever language the UI shows. */
export interface FieldMessage {
  key: Key;
  params?: Record<string, string | number>;
}

/** A schema refusal in the UI's language where the catalogue has its words (`profileIssueKey`), else the schema's English. */
function issueMessage(field: string, message: string): FieldMessage | { text: string } {
  const known = profileIssueKey(field, message);
  return known ? { key: known.key as Key, ...(known.params ? { params: known.params } : {}) } : { text: message };
}

/**
 * First error per field path (`host`, `httpsPort`, `trust.sha256`, …), from the contract's own
 * schema, as text in the UI's language (`translate` is the page's `t`).
 */
export function validate(f: ProfileFormState, translate: (key: Key, params?: Record<string, string | number>) => string = (key) => key): Record<string, string> {
  const result = ProfileInput.safeParse(toInput(f));
  const errors: Record<string, string> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    if (key in errors) continue;
    const m = issueMessage(key, issue.message);
    errors[key] = 'text' in m ? m.text : translate(m.key, m.params);
  }
  return errors;
}

/**
 * Certificates fetched in this session, by fingerprint: after "Trust this certificate" the form
 * keeps saying what was pinned (subject, last valid day), also once the profile is saved and its
 * form opened again. Only what the fetch showed is kept, in memory; a reload forgets it.
 */
const fetched = new Map<string, Pick<CertificateInfo, 'subject' | 'validTo'>>();

export function rememberPinned(cert: Pick<CertificateInfo, 'sha256' | 'subject' | 'validTo'>): void {
  fetched.set(cert.sha256.toLowerCase(), { subject: cert.subject, validTo: cert.validTo });
}

/** The fetched certificate a pin field's fingerprint (grouped or not) belongs to, or null. */
export function pinnedCertificate(pin: string): Pick<CertificateInfo, 'subject' | 'validTo'> | null {
  return fetched.get(pin.trim().replace(/[:\s]/g, '').toLowerCase()) ?? null;
}

/** `CN=esa1.example.com` out of a subject such as `CN=esa1.example.com, O=Example`; the whole subject when it has no CN. */
export function commonName(subject: string): string {
  return /(?:^|,\s*)(CN=[^,]+)/.exec(subject)?.[1] ?? subject;
}
