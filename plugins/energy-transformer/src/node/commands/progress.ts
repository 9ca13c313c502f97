/** A text progress bar for the experiment commands: `label [#####.....] 12/40 loss 0.0312`. */
export function progressLine(label: string, done: number, total: number | null, extra: string): string {
  if (!total) return `${label} ${done} ${extra}`;
  const width = 24;
  const filled = Math.round((width * Math.min(done, total)) / total);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${extra}`;
}
