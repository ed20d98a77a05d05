import { vi } from 'vitest';
import type { ElectronMock } from '../../support/electron-mock.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { externalHostAllowList, isAllowedExternalUrl, loadRegions } from '../../../electron/core/knowledge/regions.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { resolveFix } from '../../../electron/core/checks/findings.js';
import { regionIds } from '../../../electron/contract/profiles.js';

vi.mock('electron', async () => (await import('../../support/electron-mock.js')).createElectronMock());
const electron = (await import('electron')) as unknown as ElectronMock;
const { EXTERNAL_HOSTS, openExternalLink } = await import('../../../electron/main/external-links.js');

describe('external links', () => {
  const regions = loadRegions(defaultResourcesDir());

  it('allows exactly the portal and TAC hosts of resources/regions.json', () => {
    expect([...EXTERNAL_HOSTS].sort()).toEqual([...externalHostAllowList(regions)].sort());
  });

  it('opens each allowed host at its front page with a constant URL', () => {
    for (const host of EXTERNAL_HOSTS) {
      electron.shell.openExternal.mockClear();
      expect(openExternalLink(`https://${host}/deep/path?q=1#frag`)).toBe(true);
      expect(electron.shell.openExternal).toHaveBeenCalledWith(`https://${host}/`);
    }
  });

  it('opens every portal page a finding links to, exactly as linked, in the system browser', () => {
    const knowledge = loadKnowledge(defaultResourcesDir());
    const urls = new Set(regionIds.flatMap((region) => [...knowledge.findings.keys()].map((code) => resolveFix(knowledge, code, region)?.portal?.url).filter((u): u is string => u !== undefined)));
    expect(urls.size).toBeGreaterThanOrEqual(7);
    for (const url of urls) {
      electron.shell.openExternal.mockClear();
      expect(openExternalLink(url), url).toBe(true);
      expect(electron.shell.openExternal).toHaveBeenCalledWith(url);
    }
  });

  it('accepts only https URLs without credentials or port', () => {
    const allow = new Set(['admin.sse.itd.cisco.com']);
    expect(isAllowedExternalUrl('https://admin.sse.itd.cisco.com/x', allow)).toBe(true);
    for (const bad of ['http://admin.sse.itd.cisco.com/', 'https://a@admin.sse.itd.cisco.com/', 'https://admin.sse.itd.cisco.com:444/', 'not a url', 'https://evil/']) {
      expect(isAllowedExternalUrl(bad, allow), bad).toBe(false);
    }
  });
});
