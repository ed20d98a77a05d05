import { linkFrom, mapNodes, type LinkState, type LinkTone, type MapLink, type MapNode, type MapTexts } from './integration-map.js';

/**
 * The drawing of the integration path as data: positions, shapes and wrapped text lines, in pixels
 * of the width given (so text is never scaled). The Checks page renders it with Svelte (colours from
 * the theme's CSS variables, each link a button); the report serialises it with `mapSvg` (colours
 * written out). One model, so the two cannot drift apart.
 */
export interface TextLine {
  x: number;
  y: number;
  text: string;
}

export interface NodeShape {
  id: MapNode;
  cx: number;
  cy: number;
  r: number;
  icon: string;
  iconTransform: string;
  name: TextLine[];
  detail: TextLine[];
  /** Name and detail unabridged (a tooltip when the drawing had to shorten them). */
  full: string;
}

export interface LinkShape {
  id: MapLink;
  tone: LinkTone;
  line: { x1: number; x2: number; y: number; dash: string | null };
  badge: { cx: number; cy: number; r: number; filled: boolean; dash: string | null; icon: string | null; iconTransform: string };
  state: TextLine[];
  aspects: TextLine[];
  /** The caption above the line and the stretch of line between the nodes: where a click lands. */
  caption: { x: number; y: number; width: number; height: number };
  hitLine: { x: number; y: number; width: number; height: number };
  /** The link's text alternative. */
  label: string;
}

export interface MapModel {
  width: number;
  height: number;
  title: string;
  nodes: NodeShape[];
  links: LinkShape[];
}

export interface MapDrawInput {
  /** The width available, in CSS pixels (clamped to what the drawing can use). */
  width: number;
  states: readonly LinkState[];
  texts: MapTexts;
  /** A second line under a node's name: the appliance's host, the Threat Response server's. */
  details?: Partial<Record<MapNode, string>>;
  /** Findings per link, for the text alternative. */
  findings?: Partial<Record<MapLink, number>>;
}

export const MAP_MIN_WIDTH = 640;
export const MAP_MAX_WIDTH = 1100;

export const FONT = { state: 13, aspects: 12, name: 13, detail: 12 } as const;
const LINE = { state: 17, aspects: 15, name: 17, detail: 15 } as const;
const PAD = 8;
const NODE_R = 20;
const BADGE_R = 11;
const MIN_MARGIN = 44;
const MAX_MARGIN = 84;

/** Pictures in a 24-unit box, stroked. */
const NODE_ICONS: Record<MapNode, string> = {
  computer: 'M4 5h16v10H4zM9 19h6M12 15v4',
  appliance: 'M4 5h16v6H4zM4 13h16v6H4zM7.5 8h.01M7.5 16h.01M11 8h6M11 16h6',
  'threat-response': 'M7 18h10a4 4 0 0 0 .6-7.95A6 6 0 0 0 6.1 9.2 4.5 4.5 0 0 0 7 18z',
  sse: 'M5 9h13l-3.5-3.5M19 15H6l3.5 3.5',
  xdr: 'M12 3l7 3v6c0 4.5-3 7.5-7 9-4-1.5-7-4.5-7-9V6z',
};

/** Each tone has its own shape as well as its own colour, so the picture reads without colour too. */
const TONE_ICONS: Record<LinkTone, string | null> = {
  fail: 'M7.5 7.5l9 9M16.5 7.5l-9 9',
  warn: 'M12 6.5v7M12 17.5v.01',
  pass: 'M6.5 12.5l3.8 3.8 7.2-8',
  partial: 'M5.5 12h3M10.5 12h3M15.5 12h3',
  answered: 'M12 11.5a3.2 3.2 0 1 0 0-6.4 3.2 3.2 0 0 0 0 6.4zM6 19c.8-3.2 3.2-4.8 6-4.8s5.2 1.6 6 4.8',
  skipped: 'M6.5 12h11',
  'not-checked': null,
  running: 'M12 5.5a6.5 6.5 0 1 0 6.5 6.5',
};

/** Checked by the app: coloured and solid. Everything else is drawn neutral, dashed or dotted. */
const LINE_DASH: Record<LinkTone, string | null> = {
  fail: null,
  warn: null,
  pass: null,
  partial: '10 5',
  answered: '0.1 7',
  skipped: '6 6',
  'not-checked': '3 7',
  running: '6 6',
};
const FILLED: ReadonlySet<LinkTone> = new Set(['fail', 'warn', 'pass']);

/** A conservative width estimate for the UI font, so wrapped lines fit without measuring. */
export function textWidth(text: string, size: number, bold = false): number {
  let w = 0;
  for (const ch of text) {
    if (ch === ' ') w += 0.3;
    else if (".,:;·|!il1I'’()-".includes(ch)) w += 0.34;
    else if ('mwMW@'.includes(ch)) w += 0.88;
    else if (/[A-ZÄÖÜ0-9]/.test(ch)) w += 0.68;
    else w += 0.56;
  }
  return w * size * (bold ? 1.14 : 1);
}

function ellipsize(text: string, max: number, size: number, bold: boolean): string {
  if (textWidth(text, size, bold) <= max) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, size, bold) > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Greedy word wrap (also after a hyphen); the last allowed line ends in an ellipsis if text is left. */
export function wrapText(text: string, max: number, size: number, bold: boolean, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean).flatMap((w) => (textWidth(w, size, bold) > max ? w.split(/(?<=-)/) : [w]));
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const joiner = current === '' || current.endsWith('-') ? '' : ' ';
    const next = `${current}${joiner}${word}`;
    if (current !== '' && textWidth(next, size, bold) > max) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines.map((l) => ellipsize(l, max, size, bold));
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = ellipsize(`${last}${last.endsWith('-') ? '' : ' '}${lines.slice(maxLines).join(' ')}`, max, size, bold);
  return kept.map((l, i) => (i < maxLines - 1 ? ellipsize(l, max, size, bold) : l));
}

/** A "a · b · c" list wrapped between its items, the separator dropped where a line breaks. */
export function wrapList(text: string, max: number, size: number, bold: boolean, maxLines: number): string[] {
  const items = text.split(' · ');
  const lines: string[] = [];
  let current = '';
  for (const item of items) {
    const next = current ? `${current} · ${item}` : item;
    if (current && textWidth(next, size, bold) > max) {
      lines.push(current);
      current = item;
    } else current = next;
  }
  if (current) lines.push(current);
  // An item too long for a line of its own is wrapped by words.
  const fitted = lines.flatMap((l) => (textWidth(l, size, bold) > max ? wrapText(l, max, size, bold, maxLines) : [l]));
  if (fitted.length <= maxLines) return fitted;
  const kept = fitted.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]} · ${fitted.slice(maxLines).join(' · ')}`, max, size, bold);
  return kept;
}

const round = (n: number) => Math.round(n * 10) / 10;

function iconAt(cx: number, cy: number, size: number): string {
  const s = size / 24;
  return `translate(${round(cx - size / 2)} ${round(cy - size / 2)}) scale(${round(s * 100) / 100})`;
}

/** The diagram for these link states: horizontal, text wrapped to the width. Pure. */
export function buildMapModel(input: MapDrawInput): MapModel {
  const width = Math.round(Math.min(MAP_MAX_WIDTH, Math.max(MAP_MIN_WIDTH, input.width || MAP_MIN_WIDTH)));
  // The first and last node's name must fit between the edge and the node: as much room as they need, within limits.
  const ends = (['computer', 'xdr'] as const).flatMap((n) => [textWidth(input.texts.nodes[n], FONT.name, true), textWidth(input.details?.[n] ?? '', FONT.detail)]);
  const margin = Math.min(MAX_MARGIN, Math.max(MIN_MARGIN, Math.ceil(Math.max(...ends) / 2) + 4));
  const step = (width - 2 * margin) / (mapNodes.length - 1);
  const xs = mapNodes.map((_, i) => margin + i * step);
  const captionWidth = step - 16;
  const captions = input.states.map((s) => ({
    state: wrapText(input.texts.state(s), captionWidth, FONT.state, true, 3),
    aspects: wrapList(input.texts.aspects[s.link], captionWidth, FONT.aspects, false, 3),
  }));
  const captionHeight = Math.max(...captions.map((c) => c.state.length * LINE.state + c.aspects.length * LINE.aspects));
  // The line sits below the tallest caption; each caption ends just above the nodes' circles.
  const captionBottom = PAD + captionHeight;
  const cy = captionBottom + 8 + NODE_R;

  const nodes: NodeShape[] = mapNodes.map((id, i) => {
    const room = i === 0 || i === mapNodes.length - 1 ? Math.min(step - 10, 2 * margin - 6) : step - 10;
    const nameLines = wrapText(input.texts.nodes[id], room, FONT.name, true, 2);
    const detailText = input.details?.[id] ?? '';
    const detailLines = detailText ? [ellipsize(detailText, room, FONT.detail, false)] : [];
    let y = cy + NODE_R + 17;
    const name = nameLines.map((text) => {
      const line = { x: xs[i]!, y, text };
      y += LINE.name;
      return line;
    });
    const detail = detailLines.map((text) => ({ x: xs[i]!, y: y - 1, text }));
    return { id, cx: xs[i]!, cy, r: NODE_R, icon: NODE_ICONS[id], iconTransform: iconAt(xs[i]!, cy, 22), name, detail, full: [input.texts.nodes[id], detailText].filter(Boolean).join(' · ') };
  });
  const nodeBottom = Math.max(...nodes.map((n) => (n.detail.at(-1)?.y ?? n.name.at(-1)!.y) + 5));

  const links: LinkShape[] = input.states.map((s, i) => {
    const from = mapNodes.indexOf(linkFrom(s.link));
    const x1 = xs[from]! + NODE_R + 5;
    const x2 = xs[from + 1]! - NODE_R - 5;
    const mid = (xs[from]! + xs[from + 1]!) / 2;
    const c = captions[i]!;
    // Bottom-aligned: every caption ends at the same height above its line.
    let y = captionBottom - c.aspects.length * LINE.aspects - c.state.length * LINE.state + 13;
    const state = c.state.map((text) => {
      const line = { x: mid, y, text };
      y += LINE.state;
      return line;
    });
    y -= 1;
    const aspects = c.aspects.map((text) => {
      const line = { x: mid, y, text };
      y += LINE.aspects;
      return line;
    });
    const top = captionBottom - c.state.length * LINE.state - c.aspects.length * LINE.aspects - 3;
    return {
      id: s.link,
      tone: s.tone,
      line: { x1: round(x1), x2: round(x2), y: cy, dash: LINE_DASH[s.tone] },
      badge: { cx: round(mid), cy, r: BADGE_R, filled: FILLED.has(s.tone), dash: s.tone === 'not-checked' ? '3 3' : null, icon: TONE_ICONS[s.tone], iconTransform: iconAt(mid, cy, 15) },
      state,
      aspects,
      caption: { x: round(mid - (step - 4) / 2), y: round(top), width: round(step - 4), height: round(captionBottom + 4 - top) },
      hitLine: { x: round(x1), y: cy - BADGE_R - 3, width: round(x2 - x1), height: 2 * BADGE_R + 6 },
      label: input.texts.describe(s, input.findings?.[s.link] ?? 0),
    };
  });
  return { width, height: Math.ceil(nodeBottom + PAD), title: input.texts.title, nodes, links };
}

/** Colours for a drawing outside the app (report.html): the app's light theme. */
export interface MapPalette {
  tone: Record<LinkTone, string>;
  text: string;
  muted: string;
  surface: string;
  surface2: string;
  border: string;
}

/** The values of renderer/src/app.css's light theme (a unit test holds the two together). */
export const LIGHT_PALETTE: MapPalette = {
  tone: { fail: '#b3261e', warn: '#8a4b00', pass: '#18763a', partial: '#4f5d73', answered: '#4f5d73', skipped: '#4f5d73', 'not-checked': '#4f5d73', running: '#0b5cb5' },
  text: '#142033',
  muted: '#4f5d73',
  surface: '#ffffff',
  surface2: '#eef2f7',
  border: '#d5dce6',
};

/** The CSS variable of the app's theme each tone takes its colour from. */
export const TONE_VARIABLES: Record<LinkTone, string> = {
  fail: '--danger',
  warn: '--warn',
  pass: '--ok',
  partial: '--muted',
  answered: '--muted',
  skipped: '--muted',
  'not-checked': '--muted',
  running: '--info',
};

function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function lines(list: TextLine[], attrs: string): string {
  return list.map((l) => `<text x="${l.x}" y="${l.y}" ${attrs}>${esc(l.text)}</text>`).join('');
}

export interface MapSvgOptions {
  palette: MapPalette;
  /** Prefix for the ids of title and description, unique within the page. */
  idPrefix: string;
  /** The diagram's description (its text alternative), usually every link's label. */
  description: string;
}

/** The model as a standalone, script-free SVG with its colours written out and its text alternative. */
export function mapSvg(model: MapModel, options: MapSvgOptions): string {
  const p = options.palette;
  const id = esc(options.idPrefix);
  const font = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"`;
  const nodes = model.nodes
    .map(
      (n) =>
        `<g data-node="${n.id}"><title>${esc(n.full)}</title><circle cx="${n.cx}" cy="${n.cy}" r="${n.r}" fill="${p.surface2}" stroke="${p.border}" stroke-width="1.5"/>` +
        `<path d="${n.icon}" transform="${n.iconTransform}" fill="none" stroke="${p.text}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>` +
        lines(n.name, `text-anchor="middle" font-size="${FONT.name}" font-weight="600" fill="${p.text}"`) +
        lines(n.detail, `text-anchor="middle" font-size="${FONT.detail}" fill="${p.muted}"`) +
        '</g>',
    )
    .join('');
  const links = model.links
    .map((l) => {
      const colour = p.tone[l.tone];
      const dash = (d: string | null) => (d ? ` stroke-dasharray="${d}"` : '');
      const body =
        `<title>${esc(l.label)}</title>` +
        `<line x1="${l.line.x1}" y1="${l.line.y}" x2="${l.line.x2}" y2="${l.line.y}" stroke="${colour}" stroke-width="4" stroke-linecap="round"${dash(l.line.dash)}/>` +
        `<circle cx="${l.badge.cx}" cy="${l.badge.cy}" r="${l.badge.r}" fill="${l.badge.filled ? colour : p.surface}" stroke="${colour}" stroke-width="2"${dash(l.badge.dash)}/>` +
        (l.badge.icon ? `<path d="${l.badge.icon}" transform="${l.badge.iconTransform}" fill="none" stroke="${l.badge.filled ? p.surface : colour}" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>` : '') +
        lines(l.state, `text-anchor="middle" font-size="${FONT.state}" font-weight="700" fill="${colour}"`) +
        lines(l.aspects, `text-anchor="middle" font-size="${FONT.aspects}" fill="${p.muted}"`);
      return `<g data-link="${l.id}" data-tone="${l.tone}">${body}</g>`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="integration-map" viewBox="0 0 ${model.width} ${model.height}" width="${model.width}" height="${model.height}" role="img" aria-labelledby="${id}-title ${id}-desc" ${font}>` +
    `<title id="${id}-title">${esc(model.title)}</title><desc id="${id}-desc">${esc(options.description)}</desc>${nodes}${links}</svg>`
  );
}
