import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../support/temp.js';
import { ROOT } from '../support/web-host-process.js';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
const ELECTRON_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

interface Finding {
  ruleId: string;
  file: string;
  line: number;
}

/** Electronegativity exits 0 even with findings, so the gate reads its SARIF report. */
async function scan(input: string): Promise<Finding[]> {
  const out = path.join(tempDir('xet-eneg-'), 'report.sarif');
  await run(process.execPath, [CLI, '-i', input, '-o', out, '-e', ELECTRON_VERSION, '-r'], { cwd: ROOT, timeout: 110_000 });
  const sarif = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    runs: { results: { ruleId: string; locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[] }[] }[];
  };
  return sarif.runs.flatMap((r) =>
    r.results.map((x) => ({
      ruleId: x.ruleId,
      file: x.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?',
      line: x.locations?.[0]?.physicalLocation?.region?.startLine ?? 0,
    })),
  );
}

describe('Electronegativity', () => {
  it('reports zero findings on electron/, and would catch a flipped setting', async () => {
    // The canary proves the gate can fail: the same code with secure settings flipped. (With
    // sandbox on, nodeIntegration is moot, and the tool rightly stays silent about it.)
    const canary = path.join(tempDir('xet-canary-'), 'electron');
    fs.cpSync(path.join(ROOT, 'electron'), canary, { recursive: true });
    const factory = path.join(canary, 'main', 'window-factory.ts');
    const flipped = fs
      .readFileSync(factory, 'utf8')
      .replace('contextIsolation: true', 'contextIsolation: false')
      .replace('sandbox: true', 'sandbox: false')
      .replace('webSecurity: true', 'webSecurity: false')
      .replace('allowRunningInsecureContent: false', 'allowRunningInsecureContent: true')
      .replace('experimentalFeatures: false', 'experimentalFeatures: true')
      .replace("disableBlinkFeatures: 'Auxclick',", "enableBlinkFeatures: 'CSSVariables',");
    fs.writeFileSync(factory, flipped);

    const [real, flippedFindings] = await Promise.all([scan(path.join(ROOT, 'electron')), scan(canary)]);

    expect(real, JSON.stringify(real, null, 2)).toEqual([]);
    const ids = new Set(flippedFindings.map((f) => f.ruleId));
    for (const id of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'INSECURE_CONTENT_JS_CHECK',
      'EXPERIMENTAL_FEATURES_JS_CHECK',
      'BLINK_FEATURES_JS_CHECK',
      'AUXCLICK_JS_CHECK',
    ]) {
      expect([...ids], id).toContain(id);
    }
  });
});
