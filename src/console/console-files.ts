import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where `npm run build` puts the console: `<project>/dist/console`. The project is
 * the nearest folder above this file with a package.json, so the same answer
 * holds for the compiled server (dist/src/console) and for ts-jest (src/console).
 */
export function consoleBuildDir(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return join(dir, 'dist', 'console');
}
