/** Where the built playground page is (packages/playground/dist), or undefined when it is not built. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The playground's built folder, found through its package. */
export function playgroundDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@engram/playground/package.json');
    const dir = join(dirname(pkg), 'dist');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}
