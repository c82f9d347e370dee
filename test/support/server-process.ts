import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Headers every request to it needs: the admin token's, when it has one. */
  headers: Record<string, string>;
  /** CMDB_ADMIN_TOKEN of the process (a random one unless the test chose it), null when unset. */
  adminToken: string | null;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs the built server (`npm test` builds first) as a user would, and waits until it listens or exits. */
export function startServerProcess(environment: Record<string, string>): Promise<ServerProcess> {
  const adminToken = environment.CMDB_ADMIN_TOKEN ?? `cmdb_${randomBytes(32).toString('base64url')}`;
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', CMDB_ADMIN_TOKEN: adminToken, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in time:\n${output}`));
    }, 180_000); // a cold start with a fresh embedded database takes seconds, over a minute on a loaded machine
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1],
        headers: adminToken ? { authorization: `Bearer ${adminToken}` } : {},
        adminToken: adminToken || null,
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`server exited with ${code}:\n${output}`), { exitCode: code, output }));
    });
  });
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function expectStartFailure(environment: Record<string, string>): Promise<{ exitCode: number | null; output: string }> {
  try {
    const server = await startServerProcess(environment);
    await server.stop();
    throw new Error('the server started but was expected to fail');
  } catch (error) {
    const { exitCode, output } = error as { exitCode?: number | null; output?: string };
    if (output === undefined) throw error;
    return { exitCode: exitCode ?? null, output };
  }
}
