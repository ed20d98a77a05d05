// `node --import ./test/support/trace-imports.mjs …` with XET_TRACE_IMPORTS=FILE: every module URL
// the ESM loader resolves is appended to FILE, one a line (test/unit/cli/lazy-loading.test.ts).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import fs from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.XET_TRACE_IMPORTS) fs.appendFileSync(process.env.XET_TRACE_IMPORTS, resolved.url + '\\n');
  return resolved;
}`)}`,
);
