export const pages = ['overview', 'profiles', 'checks', 'har', 'archive', 'history', 'settings'] as const;
export type Page = (typeof pages)[number];

/** `#/checks/<profileId>` → page `checks`, param `<profileId>`; unknown pages fall back to the Overview (which sends a first start on to Profiles). */
function fromHash(hash: string): { page: Page; param: string } {
  const [name = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (!(pages as readonly string[]).includes(name)) return { page: 'overview', param: '' };
  return { page: name as Page, param: rest.map((s) => decodeURIComponent(s)).join('/') };
}

const initial = typeof location === 'undefined' ? { page: 'overview' as Page, param: '' } : fromHash(location.hash);
let page = $state<Page>(initial.page);
let param = $state(initial.param);

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    ({ page, param } = fromHash(location.hash));
  });
}

const hashOf = (p: Page, value: string) => (value ? `#/${p}/${value.split('/').map(encodeURIComponent).join('/')}` : `#/${p}`);

/** The current page, kept in the URL hash so Back/Forward and reloads keep the place. */
export const router = {
  get page(): Page {
    return page;
  },
  /** What the page keeps in the address after its name: the chosen profile, the open run. */
  get param(): string {
    return param;
  },
  go(next: Page, value = ''): void {
    page = next;
    param = value;
    if (typeof location !== 'undefined' && location.hash !== hashOf(next, value)) location.hash = hashOf(next, value);
  },
  /** Shows another page in place of this one, without a new Back entry (the overview before any profile exists). */
  replace(next: Page, value = ''): void {
    page = next;
    param = value;
    if (typeof location !== 'undefined' && typeof history !== 'undefined' && location.hash !== hashOf(next, value)) history.replaceState(history.state, '', hashOf(next, value));
  },
  /** Changes the current page's param without a new Back entry. */
  replaceParam(value: string): void {
    param = value;
    if (typeof location !== 'undefined' && typeof history !== 'undefined' && location.hash !== hashOf(page, value)) history.replaceState(history.state, '', hashOf(page, value));
  },
};
