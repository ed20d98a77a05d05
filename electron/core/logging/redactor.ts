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
  /** Forms of secrets held for a while (a check run's JWT), counted: two runs may hold the same value. */
  private readonly held = new Map<string, number>();
  private pattern: RegExp | null = null;

  addSecret(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    for (const form of encodedForms(secret)) this.needles.add(form);
    this.pattern = null;
  }

  /**
   * Masks a secret only until the returned release is called: a credential that lives as long as
   * one check run (each login's JWT is new), so a long session does not collect every one it saw.
   * A value also added for good with addSecret stays masked after the release.
   */
  hold(secret: string): () => void {
    if (secret.length < MIN_SECRET_LENGTH) return () => undefined;
    const forms = encodedForms(secret);
    for (const form of forms) this.held.set(form, (this.held.get(form) ?? 0) + 1);
    this.pattern = null;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const form of forms) {
        const n = (this.held.get(form) ?? 1) - 1;
        if (n > 0) this.held.set(form, n);
        else this.held.delete(form);
      }
      this.pattern = null;
    };
  }

  get size(): number {
    let extra = 0;
    for (const form of this.held.keys()) if (!this.needles.has(form)) extra++;
    return this.needles.size + extra;
  }

  redact(text: string): string {
    let out = text;
    if (this.needles.size > 0 || this.held.size > 0) {
      // Longest first so a secret's base64 form is not half-replaced by a shorter needle.
      this.pattern ??= new RegExp(
        [...new Set([...this.needles, ...this.held.keys()])]
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
