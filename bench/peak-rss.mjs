import fs from 'node:fs';

/** VmHWM: this process's peak resident set, its threads included (for the plain-JavaScript bench children). */
export function peakRss() {
  const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Number(kb) * 1024 : process.resourceUsage().maxRSS * 1024;
}
