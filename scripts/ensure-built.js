#!/usr/bin/env node
// `npm start`, `npm test` and `npm run demo` on a fresh checkout: install exactly the locked
// dependencies when they are missing or older than the lock file, build the server
// when its sources are newer than the build, and the console (console/ -> dist/console)
// when its sources are newer than its build. A second start skips all three.
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
  // nest build empties dist/, the console's build with it: rebuilt below.
  run('npx nest build');
}
const consoleBuilt = mtime(join(root, 'dist', 'console', 'index.html'));
const consoleSources = Math.max(newestIn(join(root, 'console')), mtime(join(root, 'package-lock.json')));
if (consoleBuilt < consoleSources) {
  run('npm run build:console');
}
