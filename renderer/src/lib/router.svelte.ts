export const pages = ['profiles', 'checks', 'har', 'archive', 'history', 'settings'] as const;
export type Page = (typeof pages)[number];

function fromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '');
  return (pages as readonly string[]).includes(name) ? (name as Page) : 'profiles';
}

let page = $state<Page>(typeof location === 'undefined' ? 'profiles' : fromHash(location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    page = fromHash(location.hash);
  });
}

/** The current page, kept in the URL hash so Back/Forward and reloads keep the place. */
export const router = {
  get page(): Page {
    return page;
  },
  go(next: Page): void {
    page = next;
    if (typeof location !== 'undefined' && location.hash !== `#/${next}`) location.hash = `#/${next}`;
  },
};
