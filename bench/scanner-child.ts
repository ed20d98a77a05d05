import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { JSONParser } from '@streamparser/json';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { readHarFile } from '../electron/core/har/har-reader.js';
import { peakRssOf } from './harness.js';

/**
 * The HAR scanner alone against two streaming JSON parsers, each delivering every `log.entries[i]`
 * as a JavaScript value and nothing more (no sanitising), in its own process:
 *   xet FILE — readHarFile (byte-level boundary scan, JSON.parse per entry)
 *   stream-json FILE — parser() → pick('log.entries') → streamArray()
 *   streamparser FILE — @streamparser/json's JSONParser with paths ['$.log.entries.*']
 * Prints one JSON line: { ms, peakRssBytes, entries }.
 */
const [mode, input] = process.argv.slice(2) as [string, string];
const started = performance.now();
let entries = 0;
if (mode === 'xet') {
  await readHarFile(input, { entry: () => void entries++ });
} else if (mode === 'stream-json') {
  const pipe = chain([fs.createReadStream(input, { highWaterMark: 4 * 2 ** 20 }), parser(), pick({ filter: 'log.entries' }), streamArray()]);
  pipe.on('data', () => void entries++);
  await new Promise<void>((resolve, reject) => pipe.on('end', resolve).on('error', reject));
} else if (mode === 'streamparser') {
  const json = new JSONParser({ paths: ['$.log.entries.*'], keepStack: false });
  json.onValue = () => void entries++;
  for await (const chunk of fs.createReadStream(input, { highWaterMark: 4 * 2 ** 20 })) json.write(chunk as Buffer);
  // The parser ends by itself after the root value; the file's final newline is past it.
  if (!json.isEnded) json.end();
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, peakRssBytes: peakRssOf(process.pid) ?? process.resourceUsage().maxRSS * 1024, entries }));
