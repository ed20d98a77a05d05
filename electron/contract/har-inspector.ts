import { z } from 'zod';
import { HarId } from './har.js';

/** How a request spent its time (HAR `timings`, milliseconds; -1 or absent = does not apply). */
export const HarTimingsView = z.object({ blocked: z.number(), dns: z.number(), connect: z.number(), ssl: z.number(), send: z.number(), wait: z.number(), receive: z.number() });

/** One request on the inspector's timeline, read from the sanitised copy. */
export const HarInspectorRow = z.object({
  index: z.number(),
  startMs: z.number(),
  timeMs: z.number(),
  method: z.string(),
  /** As the analysis shows URLs: no userinfo, no fragment, query names without values. */
  url: z.string(),
  host: z.string(),
  status: z.number(),
  failed: z.boolean(),
  /** A call to the XDR/IROH API or the region's Threat Response server, not a portal page or asset. */
  xdrApi: z.boolean(),
  mimeType: z.string(),
  timings: HarTimingsView,
});
export type HarInspectorRow = z.infer<typeof HarInspectorRow>;

export const MAX_INSPECTOR_ROWS = 20_000;

export const HarEntries = z.object({
  /** From the first request's start to the last one's end: the scale of the whole capture. */
  durationMs: z.number(),
  total: z.number(),
  rows: z.array(HarInspectorRow),
  /** More entries than MAX_INSPECTOR_ROWS: the first ones are listed. */
  truncated: z.boolean(),
});
export type HarEntries = z.infer<typeof HarEntries>;

const NameValue = z.object({ name: z.string(), value: z.string() });
const Body = z.object({ mimeType: z.string(), size: z.number(), preview: z.string(), truncated: z.boolean() }).nullable();

/** One request and its response exactly as the sanitised copy holds them (what TAC will see). */
export const HarEntryView = z.object({
  index: z.number(),
  startedDateTime: z.string(),
  timeMs: z.number(),
  timings: HarTimingsView,
  request: z.object({ method: z.string(), url: z.string(), httpVersion: z.string(), headers: z.array(NameValue), cookies: z.array(NameValue), query: z.array(NameValue), body: Body }),
  response: z.object({ status: z.number(), statusText: z.string(), httpVersion: z.string(), headers: z.array(NameValue), cookies: z.array(NameValue), body: Body }),
});
export type HarEntryView = z.infer<typeof HarEntryView>;

export const replacementPlaces = ['request-url', 'request-header', 'request-cookie', 'request-query', 'request-body', 'response-header', 'response-cookie', 'response-body'] as const;

/** A placeholder in the cleaned entry: where, under which name, by which rule. */
export const HarReplacement = z.object({
  place: z.enum(replacementPlaces),
  name: z.string(),
  placeholder: z.string(),
  rule: z.string(),
  /**
   * With `original: true` only: a hint of what stood there, enough to recognise it and never the
   * secret itself (its first characters and its length), so the before/after never carries it.
   */
  before: z.string().nullable(),
});
export type HarReplacement = z.infer<typeof HarReplacement>;

export const HarEntryRequest = z.object({ id: HarId, index: z.number().int().min(0), original: z.boolean().default(false) }).strict();

export const HarEntryDetail = z.object({ entry: HarEntryView, replacements: z.array(HarReplacement) });
export type HarEntryDetail = z.infer<typeof HarEntryDetail>;
