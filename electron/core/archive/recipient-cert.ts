import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../errors.js';

const asn1 = forge.asn1;

/** A certificate an archive can be encrypted to: RSA, in its validity period, allowed to encipher keys. */
export interface Recipient {
  /** Where it came from (file name or "certificate 2"), for messages. */
  label: string;
  subject: string;
  issuer: string;
  serialHex: string;
  notAfter: string;
  sha256: string;
  publicKey: KeyObject;
  /** DER of the issuer Name and the serial INTEGER, copied byte for byte into IssuerAndSerialNumber. */
  issuerDer: string;
  serialDer: string;
}

/** A refusal naming the certificate file: a catalogue key with `{label}` and its own params. */
function invalid(label: string, key: `errors.recipientCert.${string}`, params: Record<string, string | number> = {}): AppError {
  return AppError.of('INVALID_REQUEST', key, { label, ...params }, 'recipientCerts');
}

/** PEM (one or more blocks) or DER → DER buffers; anything else is named as unreadable. */
export function splitCertificates(label: string, data: Buffer): Buffer[] {
  if (data.length === 0) throw invalid(label, 'errors.recipientCert.empty');
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
    const certs = blocks.filter((b) => b[1] === 'CERTIFICATE' || b[1] === 'X509 CERTIFICATE' || b[1] === 'TRUSTED CERTIFICATE');
    const begun = (text.match(/-----BEGIN (X509 |TRUSTED )?CERTIFICATE-----/g) ?? []).length;
    if (begun > certs.length) throw invalid(label, 'errors.recipientCert.pemCutShort');
    if (certs.length === 0) {
      const kinds = blocks.map((b) => b[1]).join(', ');
      throw kinds ? invalid(label, 'errors.recipientCert.noCertificate', { kinds }) : invalid(label, 'errors.recipientCert.noReadableBlock');
    }
    return certs.map((b) => Buffer.from(b[2]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  }
  if (data.length > 0 && data[0] === 0x30) return [data];
  throw invalid(label, 'errors.recipientCert.notPemOrDer');
}

/**
 * Reads and checks one recipient certificate; every refusal says which file and why. `check: false`
 * (to open an existing archive) skips validity, key size and key usage.
 */
export function parseRecipient(label: string, der: Buffer, now: Date = new Date(), check = true): Recipient {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    // OpenSSL's reason ("PEM routines::no start line") names its last attempt, not what is wrong.
    throw invalid(label, 'errors.recipientCert.notX509');
  }
  let publicKey: KeyObject;
  try {
    publicKey = x509.publicKey;
  } catch {
    throw invalid(label, 'errors.recipientCert.publicKeyUnreadable');
  }
  const type = publicKey.asymmetricKeyType;
  if (type !== 'rsa' && check) throw invalid(label, 'errors.recipientCert.notRsa', { type: String(type).toUpperCase() });
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048 && check) throw invalid(label, 'errors.recipientCert.keyTooShort', { bits });
  const notBefore = new Date(x509.validFrom);
  const notAfter = new Date(x509.validTo);
  // A damaged date (one byte changed) still parses as a certificate, but not as a time.
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) throw invalid(label, 'errors.recipientCert.validityUnreadable');
  if (check && now < notBefore) throw invalid(label, 'errors.recipientCert.notYetValid', { date: notBefore.toISOString() });
  if (check && now > notAfter) throw invalid(label, 'errors.recipientCert.expired', { date: notAfter.toISOString() });

  // Structure with forge's ASN.1 (the X509Certificate API does not expose key usage bits or raw DER parts).
  let serialDer: string;
  let issuerDer: string;
  let usage: ReturnType<typeof keyUsage>;
  try {
    const tbs = (asn1.fromDer(der.toString('binary')).value as forge.asn1.Asn1[])[0]!;
    const fields = tbs.value as forge.asn1.Asn1[];
    const offset = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
    serialDer = asn1.toDer(fields[offset]!).getBytes();
    issuerDer = asn1.toDer(fields[offset + 2]!).getBytes();
    usage = keyUsage(fields);
  } catch {
    throw invalid(label, 'errors.recipientCert.structureDamaged');
  }
  if (check && usage && !usage.keyEncipherment) {
    throw usage.names.length ? invalid(label, 'errors.recipientCert.noKeyEncipherment', { usage: usage.names.join(', ') }) : invalid(label, 'errors.recipientCert.noKeyUsage');
  }
  return {
    label,
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    serialHex: x509.serialNumber.toLowerCase(),
    notAfter: notAfter.toISOString(),
    sha256: createHash('sha256').update(der).digest('hex'),
    publicKey,
    issuerDer,
    serialDer,
  };
}

const USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** The keyUsage extension (2.5.29.15) if present. */
function keyUsage(tbsFields: forge.asn1.Asn1[]): { keyEncipherment: boolean; names: string[] } | null {
  const extsWrapper = tbsFields.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  if (!extsWrapper) return null;
  const exts = ((extsWrapper.value as forge.asn1.Asn1[])[0]?.value ?? []) as forge.asn1.Asn1[];
  for (const ext of exts) {
    const parts = ext.value as forge.asn1.Asn1[];
    if (asn1.derToOid(parts[0]!.value as string) !== '2.5.29.15') continue;
    const octets = parts[parts.length - 1]!.value as string;
    const bitString = asn1.fromDer(octets).value as string;
    const unused = bitString.charCodeAt(0);
    const names: string[] = [];
    for (let i = 0; i < (bitString.length - 1) * 8 - unused; i++) {
      const byte = bitString.charCodeAt(1 + (i >> 3));
      if (byte & (0x80 >> (i & 7)) && USAGE_BITS[i]) names.push(USAGE_BITS[i]!);
    }
    return { keyEncipherment: names.includes('keyEncipherment'), names };
  }
  return null;
}

/** Reads every file (PEM bundles allowed) into recipients; refuses none, duplicates, or any bad one. */
export function loadRecipients(files: { label: string; data: Buffer }[], now: Date = new Date()): Recipient[] {
  if (files.length === 0) throw invalid('recipientCerts', 'errors.recipientCert.none');
  const out: Recipient[] = [];
  for (const file of files) {
    const ders = splitCertificates(file.label, file.data);
    ders.forEach((der, i) => out.push(parseRecipient(ders.length > 1 ? `${file.label} (certificate ${i + 1})` : file.label, der, now)));
  }
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(r.sha256) ? false : (seen.add(r.sha256), true)));
}
