export const pages = ['overview', 'profiles', 'checks', 'har', 'archive', 'history', 'settings'] as const;
export type Page = (typeof pages)[number];

export type Query = Readonly<Record<string, string>>;

/**
 * `#/checks/<profileId>?finding=CODE` → page `checks`, param `<profileId>`, query `{ finding: 'CODE' }`;
 * unknown pages fall back to the Overview (which sends a first start on to Profiles).
 */
function fromHash(hash: string): { page: Page; param: string; query: Query } {
  const raw = hash.replace(/^#\/?/, '');
  const mark = raw.indexOf('?');
  const path = mark < 0 ? raw : raw.slice(0, mark);
  const query = mark < 0 ? {} : Object.fromEntries(new URLSearchParams(raw.slice(mark + 1)));
  const [name = '', ...rest] = path.split('/');
  if (!(pages as readonly string[]).includes(name)) return { page: 'overview', param: '', query: {} };
  let param: string;
  try {
    param = rest.map((s) => decodeURIComponent(s)).join('/');
  } catch {
    param = '';
  }
  return { page: name as Page, param, query };
}

const initial = typeof location === 'undefined' ? { page: 'overview' as Page, param: '', query: {} } : fromHash(location.hash);
let page = $state<Page>(initial.page);
let param = $state(initial.param);
let query = $state<Query>(initial.query);

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    ({ page, param, query } = fromHash(location.hash));
  });
}

/** The address of a page: what `href` should say for a link that `router.go` follows. */
export function hashOf(p: Page, value = '', q: Query = {}): string {
  const path = value ? `#/${p}/${value.split('/').map(encodeURIComponent).join('/')}` : `#/${p}`;
  const search = Object.entries(q)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return search ? `${path}?${search}` : path;
}

/** The current page, kept in the URL hash so Back/Forward and reloads keep the place. */
export const router = {
  get page(): Page {
    return page;
  },
  /** What the page keeps in the address after its name: the chosen profile, the open run. */
  get param(): string {
    return param;
  },
  /** What the page shows on top of that: `finding=CODE` on the Checks page. */
  get query(): Query {
    return query;
  },
  go(next: Page, value = '', q: Query = {}): void {
    page = next;
    param = value;
    query = q;
    if (typeof location !== 'undefined' && location.hash !== hashOf(next, value, q)) location.hash = hashOf(next, value, q);
  },
  /** Shows another page in place of this one, without a new Back entry (the overview before any profile exists). */
  replace(next: Page, value = ''): void {
    page = next;
    param = value;
    query = {};
    if (typeof location !== 'undefined' && typeof history !== 'undefined' && location.hash !== hashOf(next, value)) history.replaceState(history.state, '', hashOf(next, value));
  },
  /** Changes the current page's param (and, when given, its query) without a new Back entry. */
  replaceParam(value: string, q: Query = query): void {
    param = value;
    query = q;
    if (typeof location !== 'undefined' && typeof history !== 'undefined' && location.hash !== hashOf(page, value, q)) history.replaceState(history.state, '', hashOf(page, value, q));
  },
};
