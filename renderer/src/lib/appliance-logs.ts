import type { ArchiveApplianceLogs, LogsProgress } from '../../../electron/contract/appliance-logs.js';
import type { Result } from '../../../electron/contract/result.js';

/** What the wizard's appliance-logs step chose. */
export interface LogChoice {
  initialised: boolean;
  window: 'last24' | 'run';
  subscriptions: string[];
  imports: { id: string; name: string; bytes: number }[];
  keepDomains: boolean;
}

export function emptyLogChoice(): LogChoice {
  return { initialised: false, window: 'last24', subscriptions: [], imports: [], keepDomains: false };
}

/** The archive request's appliance-logs part, or nothing when no subscription and no file was chosen. */
export function logsRequest(choice: LogChoice, runIds: string[]): ArchiveApplianceLogs | undefined {
  if (choice.subscriptions.length === 0 && choice.imports.length === 0) return undefined;
  return {
    subscriptions: choice.subscriptions,
    window: choice.window === 'run' && runIds[0] ? { runId: runIds[0] } : { hours: 24 },
    importIds: choice.imports.map((i) => i.id),
    keepDomains: choice.keepDomains,
  };
}

/** Files and bytes per subscription from the logs.progress events of one build. */
export function progressBySubscription(events: LogsProgress[]): { subscription: string; files: number; bytes: number }[] {
  const out = new Map<string, { subscription: string; files: Set<string>; bytes: number; last: Map<string, number> }>();
  for (const e of events) {
    if (!e.subscription) continue;
    let s = out.get(e.subscription);
    if (!s) out.set(e.subscription, (s = { subscription: e.subscription, files: new Set(), bytes: 0, last: new Map() }));
    s.files.add(e.file);
    s.last.set(e.file, e.bytes);
    s.bytes = [...s.last.values()].reduce((a, b) => a + b, 0);
  }
  return [...out.values()].map((s) => ({ subscription: s.subscription, files: s.files.size, bytes: s.bytes }));
}

/** Streams one hand-downloaded log to the web host (`POST /files/appliance-log`), which keeps it encrypted. */
export function uploadLog(file: File, onProgress: (sent: number, total: number) => void, base = ''): Promise<Result<{ id: string; name: string; bytes: number }>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${base}/files/appliance-log?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as Result<{ id: string; name: string; bytes: number }> | { error: { code: string; message: string } };
        resolve('ok' in body ? body : { ok: false, error: { code: 'UNAVAILABLE', message: body.error.message } });
      } catch {
        resolve({ ok: false, error: { code: 'UNAVAILABLE', message: `Upload failed (HTTP ${xhr.status})` } });
      }
    };
    xhr.onerror = () => resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Upload failed: the connection was lost' } });
    xhr.send(file);
  });
}
