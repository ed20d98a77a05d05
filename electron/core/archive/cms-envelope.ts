import { createCipheriv, publicEncrypt, constants, randomBytes, type Cipher } from 'node:crypto';
import forge from 'node-forge';
import type { Recipient } from './recipient-cert.js';

const asn1 = forge.asn1;

export const OID = {
  envelopedData: '1.2.840.113549.1.7.3',
  data: '1.2.840.113549.1.7.1',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  rsaOaep: '1.2.840.113549.1.1.7',
  rsaEncryption: '1.2.840.113549.1.1.1',
  mgf1: '1.2.840.113549.1.1.8',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** DER length octets. */
export function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function oid(value: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
}

function seq(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function der(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

/** AlgorithmIdentifier for sha256 (parameters absent, as RFC 5754 prefers). */
function sha256Alg(): forge.asn1.Asn1 {
  return seq([oid(OID.sha256)]);
}

/**
 * One KeyTransRecipientInfo (version 0, IssuerAndSerialNumber): the content key wrapped with
 * RSAES-OAEP, SHA-256 and MGF1-SHA-256 (RFC 4055). OAEP rather than PKCS#1 v1.5, which is open to
 * padding-oracle attacks; OpenSSL's `cms -decrypt` reads the parameters from the structure.
 */
function recipientInfo(recipient: Recipient, contentKey: Buffer): forge.asn1.Asn1 {
  const wrapped = publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, contentKey);
  const params = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [sha256Alg()]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, true, [seq([oid(OID.mgf1), sha256Alg()])]),
  ]);
  return seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x00'),
    seq([asn1.fromDer(recipient.issuerDer), asn1.fromDer(recipient.serialDer)]),
    seq([oid(OID.rsaOaep), params]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, wrapped.toString('binary')),
  ]);
}

const INDEFINITE_SEQ = Buffer.from([0x30, 0x80]);
const EOC = Buffer.from([0x00, 0x00]);

/**
 * Streams a CMS EnvelopedData (RFC 5652) in BER with indefinite lengths, so any size is written in
 * one pass without knowing it in advance (as `openssl cms -encrypt -stream` does): the header (built
 * with forge's ASN.1), then the AES-256-CBC ciphertext (Node's crypto) as a series of OCTET STRING
 * segments, then the end-of-contents octets. `openssl cms -decrypt -inform DER` reads it.
 */
export class CmsEnvelopeWriter {
  private readonly cipher: Cipher;
  private finished = false;

  private constructor(
    cipherKey: Buffer,
    readonly iv: Buffer,
  ) {
    this.cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  }

  /** Returns the writer and the header bytes to write first. */
  static start(recipients: readonly Recipient[]): { writer: CmsEnvelopeWriter; header: Buffer } {
    if (recipients.length === 0) throw new Error('CMS envelope needs at least one recipient');
    const contentKey = randomBytes(32);
    const iv = randomBytes(16);
    const writer = new CmsEnvelopeWriter(contentKey, iv);
    const infos = der(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, recipients.map((r) => recipientInfo(r, contentKey))));
    contentKey.fill(0);
    const contentAlg = der(seq([oid(OID.aes256Cbc), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, iv.toString('binary'))]));
    const header = Buffer.concat([
      INDEFINITE_SEQ, // ContentInfo
      der(oid(OID.envelopedData)),
      Buffer.from([0xa0, 0x80]), // [0] EXPLICIT content
      INDEFINITE_SEQ, // EnvelopedData
      Buffer.from([0x02, 0x01, 0x00]), // version 0: only KTRI with IssuerAndSerialNumber
      infos,
      INDEFINITE_SEQ, // EncryptedContentInfo
      der(oid(OID.data)),
      contentAlg,
      Buffer.from([0xa0, 0x80]), // [0] IMPLICIT OCTET STRING, constructed
    ]);
    return { writer, header };
  }

  private static segment(bytes: Buffer): Buffer {
    return bytes.length === 0 ? bytes : Buffer.concat([Buffer.from([0x04]), derLength(bytes.length), bytes]);
  }

  /** Encrypts a plaintext chunk; the answer is the BER to append (may be empty). */
  update(plain: Uint8Array): Buffer {
    if (this.finished) throw new Error('CMS envelope already finished');
    return CmsEnvelopeWriter.segment(this.cipher.update(plain));
  }

  /** The last ciphertext block (with padding), then end-of-contents for the five open constructions. */
  final(): Buffer {
    this.finished = true;
    return Buffer.concat([CmsEnvelopeWriter.segment(this.cipher.final()), EOC, EOC, EOC, EOC, EOC]);
  }
}
