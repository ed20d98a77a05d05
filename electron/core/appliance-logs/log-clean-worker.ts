import { parentPort } from 'node:worker_threads';
import { cleanLog } from './log-cleaner.js';
import { transferable, type FromCleaner, type ToCleaner } from './log-cleaners.js';
import { LogFileError } from './log-errors.js';
import { LogScrubber } from './log-scrubber.js';

/**
 * One log cleaner thread: cleans one file at a time with `cleanLog`, its raw bytes sent in by the
 * main thread a few chunks ahead, its cleaned bytes sent back to be written to the encrypted
 * spool there. Nothing here touches the disk or the network.
 */
const port = parentPort;
if (!port) throw new Error('log-clean-worker runs as a worker thread');

/** Chunks not yet taken by the cleaner, and whoever waits for the next one. */
let queue: Buffer[] = [];
let ended = false;
let wake: (() => void) | null = null;
/** Cleaned chunks sent and not yet written by the main thread. */
let unwritten = 0;
let written: (() => void) | null = null;
const MAX_UNWRITTEN = 4;

const send = (message: FromCleaner, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function* incoming(): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        send({ type: 'taken' });
        yield chunk;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // The cleaner stopped early (the cap) or is done: no more input is wanted.
    if (!ended) send({ type: 'stop' });
  }
}

async function run(job: Extract<ToCleaner, { type: 'start' }>): Promise<void> {
  queue = [];
  ended = false;
  unwritten = 0;
  const scrubber = new LogScrubber({ ...job.scrub, key: Buffer.from(job.scrub.key) });
  try {
    const result = await cleanLog(
      incoming(),
      async (data) => {
        const bytes = transferable(data);
        unwritten++;
        send({ type: 'out', data: bytes }, [bytes]);
        while (unwritten >= MAX_UNWRITTEN) await new Promise<void>((resolve) => (written = resolve));
      },
      { window: job.window, capBytes: job.capBytes, scrubber, onBytes: (raw) => send({ type: 'bytes', raw }) },
    );
    send({ type: 'done', result });
  } catch (error) {
    if (error instanceof LogFileError) send({ type: 'problem', problem: error.problem, message: error.message });
    else send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (message: ToCleaner) => {
  switch (message.type) {
    case 'start':
      void run(message);
      break;
    case 'chunk':
      queue.push(Buffer.from(message.data));
      wake?.();
      wake = null;
      break;
    case 'end':
      ended = true;
      wake?.();
      wake = null;
      break;
    case 'written':
      unwritten--;
      written?.();
      written = null;
      break;
  }
});
send({ type: 'ready' });
