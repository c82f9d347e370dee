/**
 * `npm run bench:api [-- --hosts 1000000 --duration 10 --reload --explain]`
 *
 * The inventory API at a million hosts: loads them into a PostgreSQL database
 * of its own (`cmdb_bench_api`, reused on the next run when complete), starts
 * the app on it in a child process, and drives each scenario with autocannon
 * (32 connections) after a short warm-up, as a tool would call it (with a
 * viewer API token): GET /healthz and GET /hosts?limit=100
 * without filters, with filters, with `q`, and a cursor's next page. Prints
 * req/s, p50 and p99 per scenario and each list's throughput relative to
 * /healthz. --explain also prints each list's EXPLAIN ANALYZE.
 *
 * BENCH_DATABASE_URL: the server (postgresql://postgres@127.0.0.1:5432/postgres).
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { prepareBenchDatabase } from './api/bench-data';
import { explainHostsListing } from './api/explain';
import { option } from './support/bench-process';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CONNECTIONS = 32;
const WARMUP_SECONDS = 2;

const flag = (name: string) => process.argv.includes(`--${name}`);

interface Scenario {
  name: string;
  path: string;
}

/**
 * The filtered list is a region's running hosts of one vendor (~4% of rows); the
 * others show the costlier shapes: a filter with another sort, a tag that
 * correlates with the name order, `q` as a name substring and as an IP prefix,
 * a next page, and the same filtered list with 10 rows (what the payload costs).
 */
const SCENARIOS: Scenario[] = [
  { name: 'healthz', path: '/healthz' },
  { name: 'list, no filter', path: '/hosts?limit=100' },
  { name: 'list, vendor+region+status', path: '/hosts?limit=100&vendor=aliyun&region=cn-hangzhou&status=running' },
  { name: 'list, status + sort=-created_at', path: '/hosts?limit=100&status=stopped&sort=-created_at' },
  { name: 'list, tag env=prod', path: '/hosts?limit=100&tag=env%3Dprod' },
  { name: 'list, q name substring', path: '/hosts?limit=100&q=web-prod-0001' },
  { name: 'list, q IP prefix', path: '/hosts?limit=100&q=10.3.17.' },
  { name: 'list, region, next page', path: '/hosts?limit=100&region=cn-hangzhou&cursor=' },
  { name: 'list, vendor+region+status, limit=10', path: '/hosts?limit=10&vendor=aliyun&region=cn-hangzhou&status=running' },
];

interface Figures {
  name: string;
  path: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function startServer(databaseUrl: string, token: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(__dirname, 'api', 'server-child.ts')], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, CMDB_ADMIN_TOKEN: token, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** A stored token, as users give their tools: it is checked against the database, unlike CMDB_ADMIN_TOKEN. */
async function createViewerToken(url: string, adminToken: string): Promise<string> {
  const response = await fetch(`${url}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench-viewer-${Date.now()}`, role: 'viewer' }),
  });
  if (!response.ok) throw new Error(`POST /tokens answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

async function run(url: string, headers: Record<string, string>, duration: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration, headers });
}

function table(rows: Figures[]): string {
  const healthz = rows.find((row) => row.name === 'healthz')!;
  const lines = [
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs healthz', 'non-2xx'],
    ...rows.map((row) => [
      row.name,
      row.rps.toFixed(0),
      String(row.p50),
      String(row.p99),
      row === healthz ? '' : (row.rps / healthz.rps).toFixed(2),
      String(row.non2xx + row.errors),
    ]),
  ];
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  return lines.map((line) => line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const hosts = Number(option('hosts', '1000000'));
  const duration = Number(option('duration', '10'));
  const log = (line: string) => console.log(`[bench:api] ${line}`);
  const started = Date.now();
  const databaseUrl = await prepareBenchDatabase(SERVER, 'cmdb_bench_api', hosts, { reload: flag('reload'), log });

  const adminToken = `bench_${randomBytes(24).toString('base64url')}`;
  const server = await startServer(databaseUrl, adminToken);
  try {
    const headers = { authorization: `Bearer ${await createViewerToken(server.url, adminToken)}` };
    const firstPage = await fetch(`${server.url}/hosts?limit=100&region=cn-hangzhou`, { headers });
    if (!firstPage.ok) throw new Error(`GET /hosts answered ${firstPage.status}: ${await firstPage.text()}`);
    const nextCursor = ((await firstPage.json()) as { next_cursor: string }).next_cursor;
    const scenarios = SCENARIOS.map((scenario) => (scenario.path.endsWith('cursor=') ? { ...scenario, path: scenario.path + nextCursor } : scenario));

    const results: Figures[] = [];
    for (const scenario of scenarios) {
      const url = server.url + scenario.path;
      await run(url, headers, WARMUP_SECONDS);
      const result = await run(url, headers, duration);
      results.push({
        name: scenario.name,
        path: scenario.path,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      });
      log(`${scenario.name}: ${result.requests.average.toFixed(0)} req/s, p99 ${result.latency.p99} ms`);
    }

    console.log(`\nGET at ${hosts} hosts, ${CONNECTIONS} connections, ${duration} s each (after ${WARMUP_SECONDS} s warm-up)\n`);
    console.log(table(results));
    console.log('\nPaths:');
    for (const row of results) console.log(`  ${row.name}: ${row.path.length > 120 ? `${row.path.slice(0, 117)}...` : row.path}`);
    const failed = results.filter((row) => row.non2xx + row.errors > 0);
    if (failed.length > 0) throw new Error(`non-2xx answers or errors in: ${failed.map((row) => row.name).join(', ')}`);

    if (flag('explain')) {
      for (const scenario of scenarios.filter((entry) => entry.path.startsWith('/hosts'))) {
        console.log(`\n--- EXPLAIN ANALYZE ${scenario.name}\n${await explainHostsListing(databaseUrl, scenario.path)}`);
      }
    }
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    server.child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
