#!/usr/bin/env node
// `npm start` and `npm test` on a fresh checkout: install exactly the locked dependencies when
// they are missing or older than the lock file, and build when the sources are
// newer than the build. A second start skips both.
const { execSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : mtime(path));
  }
  return newest;
}

const run = (command) => execSync(command, { cwd: root, stdio: 'inherit' });

if (mtime(join(root, 'node_modules', '.package-lock.json')) < mtime(join(root, 'package-lock.json'))) {
  run('npm ci --no-audit --no-fund');
}
const built = mtime(join(root, 'dist', 'src', 'main.js'));
if (built < Math.max(newestIn(join(root, 'src')), newestIn(join(root, 'migrations')))) {
  run('npx nest build');
}
