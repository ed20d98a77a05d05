/** "1 entry", "2 entries": a number with the English noun in the right number (CLI and report texts). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
