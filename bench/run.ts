import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `npm run bench -- <name> [options]`: runs bench/<name>.bench.ts (sync, api, providers, write, publish, events, watch, vsphere-feed). */
const [name, ...options] = process.argv.slice(2);
const file = name ? join(__dirname, `${name}.bench.ts`) : '';
if (!name || !existsSync(file)) {
  console.error('usage: npm run bench -- <sync|api|providers|write|publish|events|watch|vsphere-feed> [options]');
  process.exit(2);
}
const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', file, ...options], { stdio: 'inherit' });
process.exit(result.status ?? 1);
