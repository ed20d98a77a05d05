import { constants, createPrivateKey, createPublicKey, privateDecrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../errors.js';
import { OID } from './cms-envelope.js';
import { CbcContent, type CipherSegment, type RandomAccess } from './random-access.js';
import type { Recipient } from './recipient-cert.js';

const asn1 = forge.asn1;

interface Tlv {
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Content length, or null when indefinite (ends with 00 00). */
  length: number | null;
}

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function damaged(why: string): AppError {
  // The structural detail is technical (byte offsets, ASN.1 tags, OIDs) and stays as written.
  return AppError.of('INVALID_REQUEST', 'errors.cms.damaged', { where: '', detail: why }, 'file');
}

async function readTlv(file: RandomAccess, at: number): Promise<Tlv> {
  const head = await file.read(at, 10);
  if (head.length < 2) throw damaged(`it ends at byte ${at} (truncated)`);
  const tag = head[0]!;
  if ((tag & 0x1f) === 0x1f) throw damaged(`unexpected multi-byte tag at byte ${at}`);
  const first = head[1]!;
  if (first === 0x80) return { tag, start: at + 2, length: null };
  if (first < 0x80) return { tag, start: at + 2, length: first };
  const n = first & 0x7f;
  if (n > 6 || head.length < 2 + n) throw damaged(`length field at byte ${at + 1} is not readable`);
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + head[2 + i]!;
  return { tag, start: at + 2 + n, length };
}

async function expect(file: RandomAccess, at: number, tag: number, what: string): Promise<Tlv> {
  const tlv = await readTlv(file, at);
  if (tlv.tag !== tag) throw damaged(`expected ${what} at byte ${at}, found tag 0x${tlv.tag.toString(16)}`);
  return tlv;
}

async function readNode(file: RandomAccess, tlv: Tlv, headerAt: number, what: string): Promise<forge.asn1.Asn1> {
  if (tlv.length === null) throw damaged(`${what} uses an indefinite length, which this reader does not accept there`);
  const bytes = await file.read(headerAt, tlv.start - headerAt + tlv.length);
  if (bytes.length < tlv.start - headerAt + tlv.length) throw damaged(`it ends inside ${what} (truncated)`);
  try {
    return asn1.fromDer(bytes.toString('binary'));
  } catch {
    throw damaged(`${what} is not valid DER`);
  }
}

export interface RecipientInfo {
  issuerDer: string;
  serialDer: string;
  algorithm: string;
  oaepHash: string | null;
  encryptedKey: Buffer;
}

export interface CmsHeader {
  recipients: RecipientInfo[];
  iv: Buffer;
  segments: CipherSegment[];
}

/** The OID of an AlgorithmIdentifier; throws when the node is not shaped as one. */
function algorithmOid(node: forge.asn1.Asn1 | undefined): string {
  const first = node?.tagClass === asn1.Class.UNIVERSAL && node.type === asn1.Type.SEQUENCE ? (node.value as forge.asn1.Asn1[])[0] : undefined;
  if (first?.tagClass !== asn1.Class.UNIVERSAL || first.type !== asn1.Type.OID) throw new Error('not an AlgorithmIdentifier');
  return asn1.derToOid(first.value as string);
}

function parseRecipientInfo(node: forge.asn1.Asn1): RecipientInfo | null {
  const parts = node.value as forge.asn1.Asn1[];
  // Only KeyTransRecipientInfo with IssuerAndSerialNumber (version 0): what we and OpenSSL write by default.
  if (node.type !== asn1.Type.SEQUENCE || parts.length < 4 || parts[1]!.type !== asn1.Type.SEQUENCE) return null;
  // A version that is no INTEGER is damage (OpenSSL refuses it), not another kind of recipient.
  if (parts[0]!.tagClass !== asn1.Class.UNIVERSAL || parts[0]!.type !== asn1.Type.INTEGER) throw new Error('version is not an INTEGER');
  if (parts[0]!.value !== '\x00') return null;
  const rid = parts[1]!.value as forge.asn1.Asn1[];
  const algorithm = algorithmOid(parts[2]);
  const alg = parts[2]!.value as forge.asn1.Asn1[];
  let oaepHash: string | null = null;
  if (algorithm === OID.rsaOaep) {
    oaepHash = 'sha1';
    const params = (alg[1]?.value ?? []) as forge.asn1.Asn1[];
    const hashParam = params.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
    if (hashParam) {
      const hashOid = algorithmOid((hashParam.value as forge.asn1.Asn1[])[0]);
      oaepHash = HASH_OIDS[hashOid] ?? `unsupported (${hashOid})`;
    }
    // Node unwraps with MGF1 over the OAEP hash; any other mask (or a damaged one) is not that.
    const mgfParam = params.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 1);
    const mgf = (mgfParam?.value as forge.asn1.Asn1[] | undefined)?.[0];
    const mgfOid = mgf ? algorithmOid(mgf) : OID.mgf1;
    const mgfHash = mgf ? HASH_OIDS[algorithmOid((mgf.value as forge.asn1.Asn1[])[1])] : 'sha1';
    if (mgfOid !== OID.mgf1 || mgfHash !== oaepHash) oaepHash = `unsupported (mask ${mgfOid} with ${mgfHash ?? 'an unknown hash'})`;
  }
  return {
    issuerDer: asn1.toDer(rid[0]!).getBytes(),
    serialDer: asn1.toDer(rid[1]!).getBytes(),
    algorithm,
    oaepHash,
    encryptedKey: Buffer.from(parts[3]!.value as string, 'binary'),
  };
}

/** Walks the BER of ContentInfo → EnvelopedData up to the encrypted content, indexing its segments. */
export async function readCmsHeader(file: RandomAccess): Promise<CmsHeader> {
  const outer = await expect(file, 0, 0x30, 'a ContentInfo SEQUENCE');
  const typeTlv = await expect(file, outer.start, 0x06, 'the content type');
  const typeNode = await readNode(file, typeTlv, outer.start, 'the content type');
  const contentType = asn1.derToOid(typeNode.value as string);
  if (contentType !== OID.envelopedData) throw damaged(`its content type is ${contentType}, not EnvelopedData`);
  const explicit = await expect(file, typeTlv.start + typeTlv.length!, 0xa0, 'the [0] content');
  const env = await expect(file, explicit.start, 0x30, 'EnvelopedData');
  const version = await expect(file, env.start, 0x02, 'the version');
  let at = version.start + version.length!;
  let tlv = await readTlv(file, at);
  if (tlv.tag === 0xa0) {
    if (tlv.length === null) throw damaged('originatorInfo with an indefinite length is not supported');
    at = tlv.start + tlv.length;
    tlv = await readTlv(file, at);
  }
  if (tlv.tag !== 0x31) throw damaged(`expected the recipient infos SET at byte ${at}`);
  const set = await readNode(file, tlv, at, 'the recipient infos');
  let recipients: RecipientInfo[];
  try {
    recipients = (set.value as forge.asn1.Asn1[]).map(parseRecipientInfo).filter((r): r is RecipientInfo => r !== null);
  } catch {
    // Valid DER whose fields are not where a RecipientInfo has them (a changed tag or length).
    throw damaged(`a recipient info at byte ${at} is not shaped as RFC 5652 describes`);
  }
  at = tlv.start + tlv.length!;
  const eci = await expect(file, at, 0x30, 'EncryptedContentInfo');
  const ct = await expect(file, eci.start, 0x06, 'the encrypted content type');
  const ctOid = asn1.derToOid((await readNode(file, ct, eci.start, 'the encrypted content type')).value as string);
  if (ctOid !== OID.data) throw damaged(`its encrypted content type is ${ctOid}, not data`);
  at = ct.start + ct.length!;
  const algTlv = await expect(file, at, 0x30, 'the content encryption algorithm');
  const algNode = await readNode(file, algTlv, at, 'the content encryption algorithm');
  const algParts = algNode.value as forge.asn1.Asn1[];
  const algOid = asn1.derToOid(algParts[0]!.value as string);
  if (algOid !== OID.aes256Cbc) throw damaged(`its content is encrypted with ${algOid}; only AES-256-CBC (${OID.aes256Cbc}) is supported`);
  const iv = Buffer.from((algParts[1]?.value as string | undefined) ?? '', 'binary');
  if (iv.length !== 16) throw damaged('the AES IV is not 16 bytes');
  at = algTlv.start + algTlv.length!;
  const content = await readTlv(file, at);
  const segments: CipherSegment[] = [];
  if (content.tag === 0x80) {
    if (content.length === null) throw damaged('a primitive encrypted content cannot have an indefinite length');
    segments.push({ fileOffset: content.start, length: content.length, cipherOffset: 0 });
  } else if (content.tag === 0xa0) {
    let cipherOffset = 0;
    let p = content.start;
    const end = content.length === null ? Number.POSITIVE_INFINITY : content.start + content.length;
    while (p < end) {
      const seg = await readTlv(file, p);
      if (seg.tag === 0x00 && seg.length === 0) break;
      if (seg.tag !== 0x04 || seg.length === null) throw damaged(`unexpected element in the encrypted content at byte ${p}`);
      if (seg.start + seg.length > file.size) throw damaged(`it ends inside the encrypted content at byte ${file.size} (truncated)`);
      segments.push({ fileOffset: seg.start, length: seg.length, cipherOffset });
      cipherOffset += seg.length;
      p = seg.start + seg.length;
      if (p >= file.size && content.length === null) throw damaged(`it ends at byte ${file.size} before the end of its encrypted content (truncated)`);
    }
  } else {
    throw damaged(`expected the encrypted content at byte ${at}`);
  }
  // Streamed (indefinite-length) constructions each end with two zero octets; a file cut among
  // them decrypts whole, but OpenSSL refuses it, so verify must not call it fine.
  const open = [outer, explicit, env, eci].filter((t) => t.length === null).length;
  if (open > 0 && content.length === null) {
    const last = segments[segments.length - 1];
    const contentEnd = (last ? last.fileOffset + last.length : content.start) + 2;
    const tail = await file.read(contentEnd, open * 2);
    if (tail.length < open * 2) throw damaged(`it ends at byte ${file.size}, before its closing end-of-contents octets (truncated)`);
    if (!tail.every((b) => b === 0)) throw damaged(`expected end-of-contents octets at byte ${contentEnd}`);
  }
  return { recipients, iv, segments };
}

/** The content key for `cert`/`key`: the recipient info addressed to the certificate, unwrapped with the key. */
export function unwrapContentKey(header: CmsHeader, recipient: Recipient, keyPem: string): Buffer {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch (error) {
    throw AppError.of('INVALID_REQUEST', 'errors.cms.keyUnreadable', { where: '', detail: (error as Error).message }, 'key');
  }
  const fromKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const fromCert = recipient.publicKey.export({ format: 'der', type: 'spki' });
  if (!fromKey.equals(fromCert)) throw AppError.of('INVALID_REQUEST', 'errors.cms.keyMismatch', { where: '', cert: recipient.label, subject: recipient.subject }, 'key');
  const info = header.recipients.find((r) => r.issuerDer === recipient.issuerDer && r.serialDer === recipient.serialDer);
  if (!info) {
    throw AppError.of('FORBIDDEN', 'errors.cms.notARecipient', { where: '', cert: recipient.label, subject: recipient.subject, count: header.recipients.length }, 'cert');
  }
  try {
    if (info.algorithm === OID.rsaOaep) {
      if (!info.oaepHash || info.oaepHash.startsWith('unsupported')) throw new Error(`OAEP hash ${info.oaepHash ?? ''}`);
      return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: info.oaepHash }, info.encryptedKey);
    }
    if (info.algorithm === OID.rsaEncryption) {
      // Archives made by `openssl cms -encrypt` use PKCS#1 v1.5, which Node 20 refuses to decrypt; forge still can.
      const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }) as string);
      return Buffer.from(forgeKey.decrypt(info.encryptedKey.toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary');
    }
    throw new Error(`key transport ${info.algorithm}`);
  } catch (error) {
    throw AppError.of('FORBIDDEN', 'errors.cms.unwrapFailed', { where: '', detail: (error as Error).message }, 'key');
  }
}

/** Opens the decrypted content of a CMS archive for random access. */
export async function openCmsContent(file: RandomAccess, recipient: Recipient, keyPem: string): Promise<CbcContent> {
  const header = await readCmsHeader(file);
  const key = unwrapContentKey(header, recipient, keyPem);
  if (key.length !== 32) throw AppError.of('FORBIDDEN', 'errors.cms.notAes256', { where: '' }, 'key');
  try {
    return await CbcContent.open(file, header.segments, key, header.iv);
  } catch (error) {
    throw damaged((error as Error).message);
  }
}
