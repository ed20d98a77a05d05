import { shell } from 'electron';
import { isAllowedExternalUrl } from '../core/knowledge/regions.js';

/**
 * Every page the desktop app may open in the system browser: the SSE and XDR portals of each
 * region and TAC's case manager. The destinations are literals on purpose: what the app can
 * launch is reviewed code, not data a local user could widen, and each call passes a constant
 * URL. test/unit/main/external-links.test.ts proves this list equals the portal hosts of
 * resources/regions.json, so the two cannot drift apart.
 */
const PAGES: Readonly<Record<string, () => Promise<void>>> = {
  'admin.sse.itd.cisco.com': () => shell.openExternal('https://admin.sse.itd.cisco.com/'),
  'admin.eu.sse.itd.cisco.com': () => shell.openExternal('https://admin.eu.sse.itd.cisco.com/'),
  'admin.apj.sse.itd.cisco.com': () => shell.openExternal('https://admin.apj.sse.itd.cisco.com/'),
  'xdr.us.security.cisco.com': () => shell.openExternal('https://xdr.us.security.cisco.com/'),
  'xdr.eu.security.cisco.com': () => shell.openExternal('https://xdr.eu.security.cisco.com/'),
  'xdr.apjc.security.cisco.com': () => shell.openExternal('https://xdr.apjc.security.cisco.com/'),
  'mycase.cloudapps.cisco.com': () => shell.openExternal('https://mycase.cloudapps.cisco.com/'),
  'cxd.cisco.com': () => shell.openExternal('https://cxd.cisco.com/'),
};

export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set(Object.keys(PAGES));

/**
 * Opens the portal behind an https link in the system browser when its host is allow-listed;
 * the path is dropped, so a crafted link can only ever land on a portal's front page.
 */
export function openExternalLink(url: string): boolean {
  if (!isAllowedExternalUrl(url, EXTERNAL_HOSTS)) return false;
  const open = PAGES[new URL(url).hostname];
  if (!open) return false;
  void open();
  return true;
}
