import type { Manifest } from '../../contract/archive.js';
import type { Run } from '../../contract/checks.js';
import type { Profile } from '../../contract/profiles.js';
import { Redactor } from '../logging/redactor.js';

export const HOST_PLACEHOLDER = 'appliance-host.invalid';
export const USER_PLACEHOLDER = '[api-user]';
export const PROFILE_PLACEHOLDER = 'profile-1';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What an archive may say about the appliance. Stored secrets are always masked (a last guard: the
 * HARs are already sanitised, and runs and logs never held one). Unless the user chose to include
 * host names, the appliance's host, the API user and the profile name are replaced everywhere too.
 */
export class Identifiers {
  private readonly redactor = new Redactor();
  private readonly replacements: [RegExp, string][] = [];

  constructor(
    private readonly profile: Profile,
    private readonly include: boolean,
    knownSecrets: string[],
  ) {
    for (const s of knownSecrets) this.redactor.addSecret(s);
    if (!include) {
      const host = profile.host.trim();
      if (host) {
        this.replacements.push([new RegExp(escapeRegExp(host), 'gi'), HOST_PLACEHOLDER]);
        // The first label alone (esa1 of esa1.corp.example) is as telling as the whole name.
        const label = host.split('.')[0]!;
        if (label.length >= 4 && label !== host && !/^[\da-f]+$/i.test(label)) this.replacements.push([new RegExp(`\\b${escapeRegExp(label)}\\b`, 'gi'), 'appliance-host']);
      }
      const user = profile.username.trim();
      if (user.length >= 3) this.replacements.push([new RegExp(`(?<![\\w.-])${escapeRegExp(user)}(?![\\w-])`, 'g'), USER_PLACEHOLDER]);
      const name = profile.name.trim();
      // Not a bare hex word (it could stand inside a fingerprint in the evidence).
      if (name.length >= 4 && !/^[\da-f]+$/i.test(name)) this.replacements.push([new RegExp(escapeRegExp(name), 'g'), PROFILE_PLACEHOLDER]);
    }
  }

  /**
   * Names the run learnt from the far side (SSE device names, XDR module names) are replaced like
   * the host name unless host names are included: `sse-device-1`, `xdr-module-1`, …, ahead of the
   * host replacement so a device named after the host is replaced whole.
   */
  pseudonymise(names: readonly string[], prefix: string): void {
    if (this.include) return;
    const distinct = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 3 && !/^[\da-f]+$/i.test(n)))].sort((a, b) => b.length - a.length);
    const rules = distinct.map((n, i): [RegExp, string] => [new RegExp(`(?<![\\w.-])${escapeRegExp(n)}(?![\\w-])`, 'gi'), `${prefix}-${i + 1}`]);
    this.replacements.unshift(...rules);
  }

  /** Words the HAR sanitiser scrubs too (also base64-, URL- and JSON-escaped there). */
  keywords(): string[] {
    if (this.include) return [];
    return [this.profile.host, this.profile.username, this.profile.name].map((s) => s.trim()).filter((s) => s.length >= 3);
  }

  scrub(text: string): string {
    let out = this.redactor.redact(text);
    for (const [pattern, placeholder] of this.replacements) out = out.replace(pattern, placeholder);
    return out;
  }

  /** A copy with every string value scrubbed; keys and structure untouched. */
  scrubDeep<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.scrubDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.scrubDeep(v)])) as T;
    }
    return value;
  }

  /** Log text: JSON lines value by value (their keys stay readable), any other line as text. */
  scrubLog(text: string): string {
    return text
      .split('\n')
      .map((line) => {
        if (!line.startsWith('{')) return this.scrub(line);
        try {
          return JSON.stringify(this.scrubDeep(JSON.parse(line) as unknown));
        } catch {
          return this.scrub(line);
        }
      })
      .join('\n');
  }

  run(run: Run): Run {
    const copy = this.scrubDeep(run);
    if (!this.include) copy.profileName = PROFILE_PLACEHOLDER;
    return copy;
  }

  profileSummary(): Manifest['profile'] {
    const p = this.profile;
    return {
      label: this.include ? p.name : PROFILE_PLACEHOLDER,
      kind: p.kind as Manifest['profile']['kind'],
      region: p.region as Manifest['profile']['region'],
      host: this.include ? p.host : null,
      httpsPort: p.httpsEnabled ? p.httpsPort : null,
      httpPort: p.httpEnabled ? p.httpPort : null,
      hostnamesIncluded: this.include,
    };
  }
}
