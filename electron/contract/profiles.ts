import { z } from 'zod';

export const profileKinds = ['esa', 'sma', 'ces'] as const;
export const regionIds = ['nam', 'eu', 'apjc'] as const;
export const secretKinds = ['api-password', 'xdr-client-secret', 'cxd-token'] as const;

export const ProfileKind = z.enum(profileKinds);
export const RegionId = z.enum(regionIds);
export const SecretKind = z.enum(secretKinds);
export type ProfileKind = z.infer<typeof ProfileKind>;
export type RegionId = z.infer<typeof RegionId>;
export type SecretKind = z.infer<typeof SecretKind>;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
// C0, DEL and C1 (U+009B is a terminal's CSI): never part of a name, and unsafe to print.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Bidi embeddings, overrides and isolates: they make a name display as something it is not ("Trojan Source"). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/** IPv6 by the URL parser's rules (the same in Node and the browser), without zone ids. */
export function isIPv6(value: string): boolean {
  if (!value.includes(':') || /[^0-9a-f:.]/i.test(value)) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.startsWith('[');
  } catch {
    return false;
  }
}

/** Trims, drops IPv6 brackets and lower-cases; the form profiles store. */
export function normalizeHost(raw: string): string {
  const trimmed = raw.trim().toLowerCase();
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
}

export function hostKind(host: string): 'ipv4' | 'ipv6' | 'dns' | null {
  if (IPV4.test(host)) return 'ipv4';
  if (isIPv6(host)) return 'ipv6';
  // A name whose last label is all digits is a mistyped address, not a DNS name.
  if (DNS_NAME.test(host) && !/(^|\.)\d+$/.test(host)) return 'dns';
  return null;
}

export const Host = z
  .string()
  .max(300)
  .transform(normalizeHost)
  .refine((h) => h.length > 0, { message: 'Enter the appliance’s management host name or IP address' })
  .refine((h) => h.length === 0 || hostKind(h) !== null, { message: 'Not a valid DNS name, IPv4 or IPv6 address' });

export const Port = z
  .number({ message: 'Port must be a whole number from 1 to 65535' })
  .int({ message: 'Port must be a whole number from 1 to 65535' })
  .min(1, { message: 'Port must be a whole number from 1 to 65535' })
  .max(65535, { message: 'Port must be a whole number from 1 to 65535' });

/** SHA-256 certificate fingerprint, accepted with or without colons; stored as 64 lower-case hex digits. */
export const Sha256Fingerprint = z
  .string()
  .max(200)
  .transform((s) => s.trim().replace(/[:\s]/g, '').toLowerCase())
  .refine((s) => /^[0-9a-f]{64}$/.test(s), { message: 'A SHA-256 fingerprint has 64 hexadecimal digits (colons allowed)' });

/**
 * A SHA-256 fingerprint as people compare it with a certificate page: upper-case byte pairs
 * joined by colons (`AB:CD:…`, as the appliance GUI and OpenSSL print it). Both the fetched
 * certificate and the profile's pinned value are shown this way; the stored form is the plain hex.
 */
export function groupFingerprint(hex: string): string {
  const plain = hex.trim().replace(/[:\s]/g, '');
  return /^[0-9a-f]+$/i.test(plain) && plain.length % 2 === 0 ? (plain.toUpperCase().match(/../g) ?? []).join(':') : hex;
}

export const PemCertificate = z
  .string()
  .max(256 * 1024, { message: 'CA file is larger than 256 KB' })
  .refine((s) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(s), {
    message: 'Not a PEM certificate (expected -----BEGIN CERTIFICATE-----)',
  });

/** How the appliance's API certificate is trusted. There is deliberately no "ignore errors" mode. */
export const Trust = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('system') }).strict(),
  z.object({ mode: z.literal('pin'), sha256: Sha256Fingerprint }).strict(),
  z.object({ mode: z.literal('ca'), pem: PemCertificate }).strict(),
]);
export type Trust = z.infer<typeof Trust>;

const Text = (max: number, label: string, identifier = false) =>
  z
    .string()
    .max(max, { message: `${label} can be at most ${max} characters` })
    .refine((s) => !CONTROL.test(identifier ? s : s.replace(/[\n\r\t]/g, '')), { message: `${label} contains control characters` })
    .refine((s) => !identifier || !BIDI_CONTROL.test(s), { message: `${label} contains text-direction control characters (U+202A–U+202E, U+2066–U+2069)` });

/** An XDR API client ID as the portal shows it (`client-…`); empty means none. */
export const XdrClientId = z
  .string()
  .max(128, { message: 'The XDR API client ID can be at most 128 characters' })
  .transform((s) => s.trim())
  .refine((s) => s === '' || /^[\x21-\x7e]+$/.test(s), { message: 'The XDR API client ID is printable ASCII without spaces (e.g. client-0123abcd-…)' })
  .transform((s) => (s === '' ? null : s));

export const ProfileInput = z
  .object({
    name: z
      .string()
      .transform((s) => s.trim())
      .pipe(
        z
          .string()
          .min(1, { message: 'Give the profile a name' })
          .max(64, { message: 'Name can be at most 64 characters' })
          .refine((s) => !CONTROL.test(s), { message: 'Name contains control characters' })
          .refine((s) => !BIDI_CONTROL.test(s), { message: 'Name contains text-direction control characters (U+202A–U+202E, U+2066–U+2069)' }),
      ),
    kind: ProfileKind,
    host: Host,
    region: RegionId,
    httpsPort: Port.default(6443),
    httpsEnabled: z.boolean().default(true),
    httpPort: Port.default(6080),
    httpEnabled: z.boolean().default(true),
    username: Text(128, 'User name', true).transform((s) => s.trim()).default(''),
    cluster: Text(64, 'Cluster name', true)
      .transform((s) => s.trim())
      .nullable()
      .default(null)
      .transform((s) => (s === '' ? null : s)),
    notes: Text(4000, 'Notes').default(''),
    trust: Trust.default({ mode: 'system' }),
    /** The XDR API client (XDR → Administration → API Clients) for the SSE/XDR checks; its secret is a vault secret. */
    xdrClientId: XdrClientId.nullable().optional(),
  })
  .strict();
export type ProfileInput = z.input<typeof ProfileInput>;
export type ProfileFields = z.output<typeof ProfileInput>;

export const TrustSummary = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('system') }),
  z.object({ mode: z.literal('pin'), sha256: z.string() }),
  z.object({ mode: z.literal('ca'), subject: z.string(), notAfter: z.string(), sha256: z.string(), pem: z.string() }),
]);

export const Profile = z.object({
  id: z.string(),
  name: z.string(),
  kind: ProfileKind,
  host: z.string(),
  region: RegionId,
  httpsPort: z.number(),
  httpsEnabled: z.boolean(),
  httpPort: z.number(),
  httpEnabled: z.boolean(),
  username: z.string(),
  cluster: z.string().nullable(),
  notes: z.string(),
  trust: TrustSummary,
  passwordStored: z.boolean(),
  xdrClientId: z.string().nullable(),
  /** Whether the vault holds this profile's XDR API client secret (never the secret itself). */
  xdrClientSecretStored: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Profile = z.infer<typeof Profile>;

export const ProfileId = z.string().min(1).max(64);

export const ImportRejection = z.object({
  index: z.number(),
  name: z.string().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});
export type ImportRejection = z.infer<typeof ImportRejection>;

export const ImportResult = z.object({
  imported: z.array(Profile),
  rejected: z.array(ImportRejection),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const CertificateInfo = z.object({
  host: z.string(),
  port: z.number(),
  sha256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  subjectAltNames: z.array(z.string()),
  validFrom: z.string(),
  validTo: z.string(),
  selfSigned: z.boolean(),
  /** Whether the chain verifies against this computer's trusted roots and matches the host name. */
  trustedBySystem: z.boolean(),
  trustError: z.string().nullable(),
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

export const VaultStatus = z.object({
  state: z.enum(['uninitialized', 'locked', 'unlocked']),
  methods: z.array(z.enum(['passphrase', 'safe-storage'])),
  /** Whether this process can unlock without asking (OS keychain, or XET_VAULT_PASSPHRASE). */
  automatic: z.boolean(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

export const SecretValue = z
  .string()
  .min(1, { message: 'The secret is empty' })
  .max(4096, { message: 'The secret can be at most 4096 characters' });

/** The vault passphrase's length limits: the dialog checks them itself, so it can name every problem at once. */
export const VAULT_PASSPHRASE_MIN = 12;
export const VAULT_PASSPHRASE_MAX = 1024;

export const Passphrase = z
  .string()
  .min(VAULT_PASSPHRASE_MIN, { message: `Use a vault passphrase of at least ${VAULT_PASSPHRASE_MIN} characters` })
  .max(VAULT_PASSPHRASE_MAX, { message: `The passphrase can be at most ${VAULT_PASSPHRASE_MAX} characters` });

export const SecretStatus = z.object({
  kind: SecretKind,
  stored: z.boolean(),
  updatedAt: z.string().nullable(),
});
