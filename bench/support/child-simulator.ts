import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SimulatorEndpoint {
  vendor: string;
  address: string;
  apiKey: string;
  apiSecret: string;
  regions: string[];
  caPem?: string;
}

export interface ChildSimulator {
  endpoint: SimulatorEndpoint;
  /** Renames `change` and removes `remove` (shares) of the hosts; answers the counts. */
  mutate(change: number, remove: number): Promise<{ changed: number; removed: number }>;
  stop(): void;
}

/** A simulator in a process of its own, so its CPU is not the benchmarked server's. */
export async function startChildSimulator(args: string[]): Promise<ChildSimulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(__dirname, '..', '..', 'test', 'simulators', 'run.ts'), '--json', ...args],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  const endpoint = JSON.parse(await nextLine()) as SimulatorEndpoint;
  return {
    endpoint,
    async mutate(change, remove) {
      const answer = nextLine();
      child.stdin!.write(JSON.stringify({ mutate: { change, remove } }) + '\n');
      return (JSON.parse(await answer) as { mutated: { changed: number; removed: number } }).mutated;
    },
    stop: () => void child.kill('SIGTERM'),
  };
}
