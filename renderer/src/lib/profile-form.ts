import type { CertificateInfo, Profile, ProfileFields } from '../../../electron/contract/profiles.js';
import { groupFingerprint, ProfileInput } from '../../../electron/contract/profiles.js';
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

/**
 * The contract's schema words its refusals in English for the CLI and the API; the form shows
 * them from the catalogue instead, in the UI's language. An issue this table does not know keeps
 * the schema's English (`text`), so a new rule is still shown, just not yet translated.
 */
function issueMessage(field: string, message: string): FieldMessage | { text: string } {
  const tooLong = /can be at most (\d+) characters/.exec(message);
  if (field === 'region') return { key: 'profiles.fieldError.regionMissing' };
  if (message === 'Give the profile a name') return { key: 'profiles.fieldError.nameMissing' };
  if (message.startsWith('Enter the appliance')) return { key: 'profiles.fieldError.hostMissing' };
  if (message.startsWith('Not a valid DNS name')) return { key: 'profiles.fieldError.hostInvalid' };
  if (message.startsWith('Port must be')) return { key: 'profiles.fieldError.portInvalid' };
  if (message.startsWith('A SHA-256 fingerprint')) return { key: 'profiles.fieldError.pinInvalid' };
  if (message.startsWith('CA file is larger')) return { key: 'profiles.fieldError.caTooLarge' };
  if (message.startsWith('Not a PEM certificate')) return { key: 'profiles.fieldError.caNotPem' };
  if (message.startsWith('The XDR API client ID is printable')) return { key: 'profiles.fieldError.clientIdInvalid' };
  if (/text-direction control characters/.test(message)) return { key: 'profiles.fieldError.bidiCharacters' };
  if (/control characters/.test(message)) return { key: 'profiles.fieldError.controlCharacters' };
  if (tooLong) return { key: 'profiles.fieldError.tooLong', params: { max: Number(tooLong[1]) } };
  return { text: message };
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
