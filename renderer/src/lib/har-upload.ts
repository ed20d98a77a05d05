import type { HarFile } from '../../../electron/contract/har.js';
import type { Result } from '../../../electron/contract/result.js';

/**
 * Streams one dropped or chosen file to the loopback web host (`POST /files/har`); the session
 * cookie authenticates it. XMLHttpRequest, because fetch reports no upload progress.
 */
export function uploadHar(file: File, onProgress: (sent: number, total: number) => void, base = ''): Promise<Result<HarFile>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${base}/files/har?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      try {
        resolve(JSON.parse(xhr.responseText) as Result<HarFile>);
      } catch {
        resolve({ ok: false, error: { code: 'UNAVAILABLE', message: `Upload failed (HTTP ${xhr.status})` } });
      }
    };
    xhr.onerror = () => resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'Upload failed: the connection was lost' } });
    xhr.send(file);
  });
}

/** Where the web host serves the sanitised copy of the last review. */
export function downloadUrl(id: string, base = ''): string {
  return `${base}/files/har/${encodeURIComponent(id)}`;
}

/** The waterfall SVG as an image source, so no markup is ever inserted into the page. */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}
