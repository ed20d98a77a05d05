import type { ProfileFormField } from '../../../electron/contract/checks.js';
import { hashOf } from './router.svelte.js';

/**
 * Where each field a finding can name sits in the profile form, first match wins: a stored
 * password or client secret has no input, its Replace button is the place to start.
 */
export const PROFILE_FIELD_TARGETS: Readonly<Record<ProfileFormField, readonly string[]>> = {
  host: ['#pf-host'],
  region: ['#pf-region'],
  httpsPort: ['#pf-https-port'],
  httpPort: ['#pf-http-port'],
  username: ['#pf-username'],
  password: ['#pf-password', '[data-testid="password-stored"] + button'],
  trust: ['input[name="pf-trust"]:checked', 'input[name="pf-trust"]'],
  cluster: ['#pf-cluster'],
  xdrClientId: ['#pf-xdr-client-id'],
  xdrClientSecret: ['#pf-xdr-secret', '[data-testid="xdr-secret-stored"] + button'],
};

export function isProfileField(value: string): value is ProfileFormField {
  return Object.prototype.hasOwnProperty.call(PROFILE_FIELD_TARGETS, value);
}

/** `#/profiles/<id>/edit/<field>`: the Profiles page opens that profile's form with the field focused. */
export function editProfileHref(profileId: string, field: ProfileFormField): string {
  return hashOf('profiles', `${profileId}/edit/${field}`);
}

/** The element of the form that holds `field`, if the form shows it. */
export function profileFieldElement(field: ProfileFormField, root: ParentNode = document): HTMLElement | null {
  for (const selector of PROFILE_FIELD_TARGETS[field]) {
    const el = root.querySelector<HTMLElement>(selector);
    if (el) return el;
  }
  return null;
}

/**
 * Moves the keyboard to the field, marks it, and brings it into view with as little scrolling as
 * possible (so the page's note on why stays in sight when it can); false when the form lacks it.
 */
export function focusProfileField(field: ProfileFormField): boolean {
  const el = profileFieldElement(field);
  if (!el) return false;
  el.closest('.field, fieldset')?.classList.add('fix-target');
  document.querySelector('main')?.scrollTo?.(0, 0);
  el.focus({ preventScroll: true });
  el.scrollIntoView?.({ block: 'nearest' });
  return document.activeElement === el;
}

/**
 * Jumps to a manual step on this page: its chosen answer (or first choice) gets the focus, or the
 * step's heading when the answers are off while a run is going.
 */
export function focusQuestion(checkId: string): boolean {
  // Check ids are `a-z0-9-` (runbook schema); anything else names no step.
  if (!/^[a-z][a-z0-9-]*$/.test(checkId)) return false;
  const card = document.querySelector<HTMLElement>(`.manual-card[data-check="${checkId}"]`);
  if (!card) return false;
  const target =
    card.querySelector<HTMLElement>('button.choice[aria-pressed="true"]:not(:disabled)') ??
    card.querySelector<HTMLElement>('button.choice:not(:disabled)') ??
    card.querySelector<HTMLElement>('h4');
  if (!target) return false;
  if (target.tagName === 'H4') target.tabIndex = -1;
  card.scrollIntoView?.({ block: 'center' });
  target.focus();
  return true;
}
