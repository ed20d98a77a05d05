import { once } from 'node:events';
import zlib from 'node:zlib';

/** What zip.js passes to a CompressionStream it was configured with. */
interface CodecOptions {
  level?: number;
}

// Input zlib may hold before a write waits: deflate runs on libuv's thread pool, so while it works
// through this much, the main thread goes on sanitising the next chunks instead of idling.
const IN_FLIGHT_BYTES = 2 * 1024 * 1024;
const DEFAULT_LEVEL = 5;
// Output handed back per callback: zlib's 16 KiB default meant eight main-thread callbacks per chunk.
const OUTPUT_CHUNK_BYTES = 128 * 1024;

/**
 * A web CompressionStream backed by node:zlib, handed to zip.js in place of the global one.
 *
 * Node's own CompressionStream accepts one chunk at a time (its zlib keeps a 16 KiB buffer, so every
 * 128 KiB write waits for deflate to finish) and ignores the compression level zip.js asks for
 * (always 6). This one lets zlib hold IN_FLIGHT_BYTES of input and honours the level (zip.js's
 * default is 5), so deflate overlaps with sanitising: memory stays bounded by that window, since a
 * TransformStream stops calling transform() while its readable side is backed up.
 */
export class ZlibCompressionStream extends TransformStream<Uint8Array, Uint8Array> {
  /** Read by zip.js instead of probing the class by constructing one. */
  static readonly supportedFormats = ['deflate-raw', 'gzip', 'deflate'];

  constructor(format: string, options: CodecOptions = {}) {
    if (!ZlibCompressionStream.supportedFormats.includes(format)) throw new TypeError(`Unsupported compression format: ${format}`);
    const level = Number.isInteger(options.level) && options.level! >= 0 && options.level! <= 9 ? options.level! : DEFAULT_LEVEL;
    // zlib's state (a few hundred KiB) is only made once data arrives, not for zip.js's probes.
    let engine: zlib.Gzip | zlib.DeflateRaw | zlib.Deflate | null = null;
    let failed: unknown = null;
    const started = (controller: TransformStreamDefaultController<Uint8Array>) => {
      if (engine) return engine;
      engine = createEngine(format, { level, chunkSize: OUTPUT_CHUNK_BYTES, writableHighWaterMark: IN_FLIGHT_BYTES } as zlib.ZlibOptions);
      engine.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
      engine.on('error', (error: unknown) => {
        failed = error;
        controller.error(error);
      });
      return engine;
    };
    super({
      async transform(chunk, controller) {
        if (failed) throw failed;
        const z = started(controller);
        if (!z.write(chunk)) await once(z, 'drain');
      },
      async flush(controller) {
        if (failed) throw failed;
        const z = started(controller);
        const ended = once(z, 'end');
        z.end();
        await ended;
      },
    });
  }
}

function createEngine(format: string, options: zlib.ZlibOptions): zlib.Gzip | zlib.DeflateRaw | zlib.Deflate {
  switch (format) {
    case 'gzip':
      return zlib.createGzip(options);
    case 'deflate-raw':
      return zlib.createDeflateRaw(options);
    default:
      return zlib.createDeflate(options);
  }
}
