/**
 * The redaction report: what the sanitiser removed, counted per rule and per location, with the
 * JSON paths it touched and the fingerprints (6-hex HMAC tags) of the values, never the values. A
 * reviewer can compare the tags with the placeholders in the output.
 */
import { placeholder } from './placeholder.js';

export const redactionRules = [
  'authorization',
  'cookie',
  'header',
  'userinfo',
  'query',
  'form',
  'json-field',
  'login',
  'jwt',
  'pem',
  'credential',
  'secret',
  'keyword',
  'body-dropped',
  'body-uninspectable',
  'oversize',
  'encoded-body',
] as const;
export type RedactionRule = (typeof redactionRules)[number];

export const redactionLocations = ['header', 'cookie', 'query', 'body', 'url', 'other'] as const;
export type RedactionLocation = (typeof redactionLocations)[number];

export interface ReportPath {
  /** JSON path with the entry index as `*`, e.g. `log.entries[*].request.headers[authorization].value`. */
  path: string;
  rule: RedactionRule;
  location: RedactionLocation;
  count: number;
  /** First entries where it happened (at most 20). */
  entries: number[];
  /** Distinct fingerprints seen there (at most 20). */
  fingerprints: string[];
}

export interface ReportExample {
  rule: RedactionRule;
  /** The header, cookie, parameter or field name (or the kind of text for shape rules). */
  name: string;
  placeholder: string;
}

export interface RedactionReport {
  format: 'xet-har-redaction-report';
  version: 1;
  input: { name: string; bytes: number; entries: number; pages: number; creator: string | null };
  output: { bytes: number } | null;
  options: { keepBodies: boolean; knownSecrets: number; keywords: number };
  totals: { redactions: number; entriesTouched: number; bodiesDropped: number; repairs: number };
  byRule: Record<RedactionRule, number>;
  byLocation: Record<RedactionLocation, number>;
  paths: ReportPath[];
  examples: ReportExample[];
  /** HAR 1.2 fields that were missing and were filled so the output validates (first 50). */
  repairs: string[];
  notes: string[];
}

const MAX_LISTED = 20;
const MAX_PATHS = 2000;
const MAX_EXAMPLES = 200;

/**
 * Where the text rules record what they replaced. The HAR report keeps paths, names and examples;
 * the appliance-log report only counts per rule, so it is spared masking a path per hit.
 */
export interface RedactionSink {
  /** Whether `hit` uses the path and name (masked first, which costs a known-value search each). */
  readonly wantsPaths: boolean;
  hit(rule: RedactionRule, location: RedactionLocation, entry: number, path: string, fingerprint: string, name?: string): void;
}

/** Counts per rule, nothing else: for appliance logs, whose report lists rule counts only. */
export class RuleCounts implements RedactionSink {
  readonly wantsPaths = false;
  readonly byRule: Partial<Record<RedactionRule, number>> = {};

  hit(rule: RedactionRule): void {
    this.byRule[rule] = (this.byRule[rule] ?? 0) + 1;
  }
}

export class ReportBuilder implements RedactionSink {
  readonly wantsPaths = true;
  /** Counts so far, per rule (read by tests and progress displays). */
  readonly byRule = Object.fromEntries(redactionRules.map((r) => [r, 0])) as Record<RedactionRule, number>;
  private readonly byLocation = Object.fromEntries(redactionLocations.map((l) => [l, 0])) as Record<RedactionLocation, number>;
  private readonly paths = new Map<string, ReportPath>();
  private readonly examples = new Map<string, ReportExample>();
  private readonly touched = new Set<number>();
  private total = 0;
  private dropped = 0;
  private pathsCapped = false;
  readonly notes: string[] = [];

  /** Records one redaction; `path` is relative to the entry (or to `log` when `entry` is -1). */
  hit(rule: RedactionRule, location: RedactionLocation, entry: number, path: string, fingerprint: string, name?: string): void {
    this.total++;
    this.byRule[rule]++;
    this.byLocation[location]++;
    if (rule === 'body-dropped' || rule === 'oversize') this.dropped += path.endsWith('content.text') ? 1 : 0;
    if (entry >= 0) this.touched.add(entry);
    const full = entry >= 0 ? `log.entries[*].${path}` : `log.${path}`;
    const key = `${rule}\u0000${location}\u0000${full}`;
    let p = this.paths.get(key);
    if (!p) {
      if (this.paths.size >= MAX_PATHS) {
        this.pathsCapped = true;
        return;
      }
      p = { path: full, rule, location, count: 0, entries: [], fingerprints: [] };
      this.paths.set(key, p);
    }
    p.count++;
    if (entry >= 0 && p.entries.length < MAX_LISTED && p.entries[p.entries.length - 1] !== entry) p.entries.push(entry);
    if (p.fingerprints.length < MAX_LISTED && !p.fingerprints.includes(fingerprint)) p.fingerprints.push(fingerprint);
    const exampleName = name ?? rule;
    const exampleKey = `${rule}\u0000${exampleName.toLowerCase()}`;
    if (!this.examples.has(exampleKey) && this.examples.size < MAX_EXAMPLES) {
      this.examples.set(exampleKey, { rule, name: exampleName, placeholder: placeholder(rule, fingerprint) });
    }
  }

  build(fields: Pick<RedactionReport, 'input' | 'output' | 'options' | 'repairs'> & { repairCount: number }): RedactionReport {
    const notes = [...this.notes];
    if (this.pathsCapped) notes.push(`More than ${MAX_PATHS} distinct paths were redacted; the list shows the first ${MAX_PATHS} (counts per rule and location are complete).`);
    const report: RedactionReport = {
      format: 'xet-har-redaction-report',
      version: 1,
      input: fields.input,
      output: fields.output,
      options: fields.options,
      totals: { redactions: this.total, entriesTouched: this.touched.size, bodiesDropped: this.dropped, repairs: fields.repairCount },
      byRule: { ...this.byRule },
      byLocation: { ...this.byLocation },
      paths: [],
      examples: [...this.examples.values()],
      repairs: fields.repairs,
      notes,
    };
    return sortedOnFirstRead(report, [...this.paths.values()]);
  }
}

/**
 * `report.paths` sorted (most frequent first, then by path) when something first reads it: JSON,
 * a structured clone, a view of the list. The tie-break collates (`localeCompare`), and ICU's first
 * collator costs about 5 ms, a tenth of `xet har sanitize` on a small capture, whose summary (counts
 * per rule and location) never reads the list. Read once, it is a plain property in its place.
 */
function sortedOnFirstRead(report: RedactionReport, paths: ReportPath[]): RedactionReport {
  const settle = (value: ReportPath[]) => Object.defineProperty(report, 'paths', { value, writable: true, enumerable: true, configurable: true });
  return Object.defineProperty(report, 'paths', {
    enumerable: true,
    configurable: true,
    get: () => {
      const sorted = paths.sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
      settle(sorted);
      return sorted;
    },
    set: settle,
  });
}
