import { buildDemoTemplate } from './demo-database';

/** Builds `npm run demo`'s database template (a child process of the demo, so that the demo's clouds keep answering meanwhile). */
buildDemoTemplate().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
