/** The memorization sweep with its images read from disk (Fashion-MNIST: installed full set or committed subset). */
import { parseConfig, z } from '@engram/core';
import { memorizationSweepOn, sweepSettingsSchema, type SweepResult } from '../../experiments/sweep.js';
import { fashionPatterns } from './images.js';

/** Options of {@link memorizationSweep}: the sweep's settings and where the images come from. */
export const sweepSchema = sweepSettingsSchema.extend({
  source: z.enum(['auto', 'full', 'subset']).default('auto').describe('Fashion-MNIST: full (installed), subset (committed) or auto'),
});
/** Options of {@link memorizationSweep}, as given. */
export type SweepOptions = z.input<typeof sweepSchema>;

/**
 * Reads max(ks) Fashion-MNIST training images from disk and runs the sweep
 * (the main entry's `memorizationSweepOn`); returns one point per K (in
 * order). `log` receives a progress line per K.
 */
export async function memorizationSweep(options: SweepOptions = {}, log: (line: string) => void = () => undefined): Promise<SweepResult> {
  const { source, ...settings } = parseConfig(sweepSchema, options, 'memorizationSweep', 'options');
  const images = fashionPatterns({ count: Math.max(...settings.ks), source, seed: settings.seed });
  const result = await memorizationSweepOn(images, settings, log);
  return { ...result, settings: { ...result.settings, source } };
}
