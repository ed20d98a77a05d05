import type { Api } from '../../../electron/contract/api.js';
import type { HarFile } from '../../../electron/contract/har.js';
import { uploadHar } from './har-upload.js';
import { errorMessage } from './errors.js';

/** Bytes of one file on its way in (browser upload) or being checked (both transports). */
export interface ImportProgress {
  stage: 'upload' | 'import';
  name: string;
  done: number;
  total: number;
  rate: number;
}

export interface ImportOutcome {
  cancelled: boolean;
  files: HarFile[];
  /** One located message per file that could not be imported. */
  errors: string[];
}

/**
 * The web host: streams each dropped or chosen file to `POST /files/har`, one after the other, with
 * upload progress. Shared by the HAR page and the support archive wizard.
 */
export async function uploadHarFiles(list: File[], onProgress: (p: ImportProgress) => void): Promise<ImportOutcome> {
  const files: HarFile[] = [];
  const errors: string[] = [];
  for (const file of list) {
    const started = performance.now();
    onProgress({ stage: 'upload', name: file.name, done: 0, total: file.size, rate: 0 });
    const r = await uploadHar(file, (done, total) => {
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      onProgress({ stage: done >= total ? 'import' : 'upload', name: file.name, done, total, rate: done / seconds });
    });
    if (r.ok) files.push(r.value);
    else errors.push(errorMessage(r.error));
  }
  return { cancelled: false, files, errors };
}

/** The desktop app: main opens the native dialog and imports what was chosen (progress as har.progress). */
export async function importHarDialog(api: Api): Promise<ImportOutcome> {
  const r = await api.har.importDialog();
  if (!r.ok) return { cancelled: false, files: [], errors: [errorMessage(r.error)] };
  return { cancelled: r.value.cancelled, files: r.value.files, errors: r.value.errors.map((e) => e.message) };
}
