/** Bytes per second over the last few seconds of an upload: steadier than since-start, quicker than an average. */
export class RateMeter {
  private readonly samples: { t: number; bytes: number }[] = [];
  bytes = 0;

  constructor(private readonly windowMs = 5000) {}

  /** Records the running total at time `t` (ms) and answers the rate, or null before there is one. */
  add(t: number, bytes: number): number | null {
    this.bytes = bytes;
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[1]!.t >= this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const span = t - first.t;
    if (span < 250) return null;
    return Math.round(((bytes - first.bytes) * 1000) / span);
  }
}
