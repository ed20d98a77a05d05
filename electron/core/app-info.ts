import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  productName: string;
  version: string;
  /** The folder holding package.json: the checkout, the npm install, or the asar root. */
  root: string;
}

const PACKAGE_NAME = 'xdr-email-troubleshooter';

/** Name, version and root of the package this code ships in (source, `dist/` or asar alike). */
export function readPackageInfo(from: string = path.dirname(fileURLToPath(import.meta.url))): PackageInfo {
  let dir = from;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; productName?: string; version?: string };
      if (pkg.name === PACKAGE_NAME) {
        return { name: pkg.name, productName: pkg.productName ?? pkg.name, version: pkg.version ?? '0.0.0', root: dir };
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${PACKAGE_NAME} not found above ${from}`);
    dir = parent;
  }
}
