import fs from 'node:fs';
import { runCli } from './program.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A question on the controlling terminal (not stdin, which may carry a piped secret). */
function terminalPrompt(hidden: boolean): ((question: string) => Promise<string>) | undefined {
  let fd: number;
  try {
    fd = fs.openSync('/dev/tty', 'r+');
  } catch {
    return undefined;
  }
  fs.closeSync(fd);
  return async (question) => {
    // Loaded when a question is asked: most runs ask none, and every start would pay for them.
    const [{ default: readline }, { default: tty }] = await Promise.all([import('node:readline'), import('node:tty')]);
    return new Promise((resolve, reject) => {
      const input = new tty.ReadStream(fs.openSync('/dev/tty', 'r'));
      const output = new tty.WriteStream(fs.openSync('/dev/tty', 'w'));
      output.write(question);
      if (!hidden) {
        const rl = readline.createInterface({ input, output, terminal: false });
        rl.once('line', (line) => {
          rl.close();
          input.destroy();
          output.destroy();
          resolve(line);
        });
        return;
      }
      let answer = '';
      input.setRawMode(true);
      input.on('data', (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            input.setRawMode(false);
            output.write('\n');
            input.destroy();
            output.destroy();
            return resolve(answer);
          }
          if (ch === '\u0003') {
            input.setRawMode(false);
            input.destroy();
            output.destroy();
            return reject(new Error('cancelled'));
          }
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else answer += ch;
        }
      });
    });
  };
}

const prompt = terminalPrompt(false);
const promptHidden = terminalPrompt(true);
const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin,
  env: process.env,
  isTty: process.stdin.isTTY === true,
  ...(prompt ? { prompt } : {}),
  ...(promptHidden ? { promptHidden } : {}),
});
process.exitCode = code;
