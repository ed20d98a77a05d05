// `node --import ./test/support/trace-imports.mjs …` with XET_TRACE_IMPORTS=FILE: every module URL
// the ESM loader resolves is appended to FILE, one a line (test/unit/cli/lazy-loading.test.ts), and
// at exit every CommonJS module loaded (as a file URL): those never pass the ESM resolve hook when a
// CommonJS package loads its own files, or when code takes one with createRequire.
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(
  `data:text/javascript,${encodeURIComponent(`
import fs from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.XET_TRACE_IMPORTS) fs.appendFileSync(process.env.XET_TRACE_IMPORTS, resolved.url + '\\n');
  return resolved;
}`)}`,
);

const trace = process.env.XET_TRACE_IMPORTS;
if (trace) {
  const { cache } = createRequire(import.meta.url);
  process.on('exit', () => fs.appendFileSync(trace, Object.keys(cache).map((file) => `${pathToFileURL(file).href}\n`).join('')));
}
