import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { ZlibCompressionStream } from '../../../electron/core/archive/zlib-compression-stream.js';

async function pump(stream: TransformStream<Uint8Array, Uint8Array>, chunks: Uint8Array[]): Promise<Buffer> {
  const out: Uint8Array[] = [];
  const reading = (async () => {
    const reader = stream.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      out.push(value);
    }
  })();
  const writer = stream.writable.getWriter();
  for (const c of chunks) {
    await writer.ready;
    await writer.write(c);
  }
  await writer.close();
  await reading;
  return Buffer.concat(out);
}

function text(bytes: number): Buffer {
  const line = Buffer.from('{"url":"https://esa.example/api/v2.0/health","status":200,"time":12.5},\n');
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / line.length) }, () => line)).subarray(0, bytes);
}

describe('ZlibCompressionStream (the CompressionStream zip.js is given)', () => {
  it('round-trips raw deflate and gzip across many chunks, random and repetitive', async () => {
    const data = Buffer.concat([text(3 << 20), randomBytes(1 << 20), text(1 << 20)]);
    const chunks = Array.from({ length: Math.ceil(data.length / 100_000) }, (_, i) => new Uint8Array(data.subarray(i * 100_000, (i + 1) * 100_000)));
    const raw = await pump(new ZlibCompressionStream('deflate-raw', { level: 5 }), chunks);
    expect(zlib.inflateRawSync(raw).equals(data)).toBe(true);
    const gz = await pump(new ZlibCompressionStream('gzip', { level: 5 }), chunks);
    expect(zlib.gunzipSync(gz).equals(data)).toBe(true);
    // The gzip trailer carries the CRC-32 zip.js takes for the entry.
    expect(gz.readUInt32LE(gz.length - 8)).toBe(zlib.crc32(data));
  });

  it('honours the level zip.js asks for (Node’s own stream always uses 6)', async () => {
    const data = text(2 << 20);
    const stored = await pump(new ZlibCompressionStream('deflate-raw', { level: 0 }), [new Uint8Array(data)]);
    const best = await pump(new ZlibCompressionStream('deflate-raw', { level: 9 }), [new Uint8Array(data)]);
    expect(stored.length).toBeGreaterThan(data.length);
    expect(best.length).toBeLessThan(data.length / 20);
    expect(zlib.inflateRawSync(stored).equals(data)).toBe(true);
  });

  it('an empty input still makes a valid stream', async () => {
    const gz = await pump(new ZlibCompressionStream('gzip'), []);
    expect(zlib.gunzipSync(gz).length).toBe(0);
  });

  it('refuses formats it cannot write, without making a zlib state', () => {
    expect(ZlibCompressionStream.supportedFormats).toEqual(expect.arrayContaining(['deflate-raw', 'gzip']));
    expect(() => new ZlibCompressionStream('deflate64-raw')).toThrow(/Unsupported compression format: deflate64-raw/);
  });

  it('keeps writing bounded: with nobody reading, the writer stops being ready', async () => {
    const stream = new ZlibCompressionStream('deflate-raw', { level: 1 });
    const writer = stream.writable.getWriter();
    const chunk = new Uint8Array(randomBytes(256 * 1024));
    // One read, then nobody reads: the first output fills it, the rest backs up.
    const reader = stream.readable.getReader();
    void reader.read();
    let accepted = 0;
    // Random data does not compress: unread output backs up and writes must stop being accepted.
    for (let i = 0; i < 200; i++) {
      const settled = await Promise.race([writer.write(chunk).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 200))]);
      if (!settled) break;
      accepted++;
    }
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(40);
    // Reading resumes the writes that were held back.
    const drained = (async () => {
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return bytes;
        bytes += value.length;
      }
    })();
    await writer.close();
    expect(await drained).toBeGreaterThan(accepted * chunk.length);
  });
});
