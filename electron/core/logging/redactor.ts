const MIN_SECRET_LENGTH = 4;

/** Every way a secret tends to show up in text: raw, base64, URL- and JSON-escaped. */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  forms.add(b64);
  forms.add(b64.replace(/=+$/, ''));
  forms.add(Buffer.from(secret, 'utf8').toString('base64url'));
  forms.add(encodeURIComponent(secret));
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

// Credentials recognisable by shape even when nobody registered them.
const SHAPES: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g,
];

/**
 * Masks secrets in text before it leaves the process (log files, error reports). Later features
 * register each secret here the moment it is loaded.
 */
export class Redactor {
  private readonly needles = new Set<string>();
  private pattern: RegExp | null = null;

  addSecret(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    for (const form of encodedForms(secret)) this.needles.add(form);
    this.pattern = null;
  }

  get size(): number {
    return this.needles.size;
  }

  redact(text: string): string {
    let out = text;
    if (this.needles.size > 0) {
      // Longest first so a secret's base64 form is not half-replaced by a shorter needle.
      this.pattern ??= new RegExp(
        [...this.needles]
          .sort((a, b) => b.length - a.length)
          .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|'),
        'g',
      );
      out = out.replace(this.pattern, '[REDACTED]');
    }
    for (const shape of SHAPES) out = out.replace(shape, (m) => (m.startsWith('Bearer') || m.startsWith('Basic') ? `${m.split(/\s/)[0]} [REDACTED]` : '[REDACTED:jwt]'));
    return out;
  }
}
