#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readPackageInfo } from '../core/app-info.js';
import { createCore } from '../core/core.js';
import { hostDefaultSettings, PASSPHRASE_BACKEND, takeVaultPassphrase } from '../core/host-defaults.js';
import { resolveDataDir } from '../core/paths.js';
import { startWebHost } from './server.js';

const USAGE = `Usage: npm run web -- [--port N] [--data-dir DIR] [--endpoints FILE] [--json]

Serves the troubleshooter UI on http://127.0.0.1 only and prints the URL to open.
  --port N        port to listen on (default: a free one)
  --data-dir DIR  data folder (default: $XET_DATA_DIR or the desktop app's folder)
  --endpoints FILE  lab use: cloud endpoints for every run from FILE (see xet check --endpoints)
  --json          print {"url", "launchUrl", "port"} as one JSON line instead of text

XET_VAULT_PASSPHRASE, when set, unlocks the credential vault at start (it is removed from the
environment right away); otherwise the UI asks for the vault passphrase when a secret is needed.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        endpoints: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port: "${values.port}" is not a port number (0-65535)\n`);
    return 2;
  }

  const core = createCore({
    dataDir: resolveDataDir(values['data-dir']),
    transport: 'web',
    secretBackend: PASSPHRASE_BACKEND,
    defaultSettings: hostDefaultSettings(),
    vaultPassphrase: takeVaultPassphrase(),
    ...(values.endpoints ? { endpointsFile: path.resolve(values.endpoints) } : {}),
  });
  const staticDir = path.join(readPackageInfo().root, 'dist', 'renderer');
  const host = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir, port, har: core.har, archive: core.archive, logs: core.logs });

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ url: host.url, launchUrl: host.launchUrl, port: host.port })}\n`);
  } else {
    process.stdout.write(`Secure Email XDR Troubleshooter is running.\nOpen this address in your browser (valid until this host stops):\n\n  ${host.launchUrl}\n\nData folder: ${core.paths.root}\nPress Ctrl+C to stop.\n`);
  }

  const stop = () => {
    void host.close().finally(() => {
      core.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`xet web host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
