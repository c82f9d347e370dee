import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `--name value` from the benchmark's command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** CPU time (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

/** The kernel's high-water mark of a process's resident memory. */
export function peakRssMib(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** The node flags of `npm run start:prod` (its heap cap): a benchmarked server runs as a deployed one. */
export function productionNodeFlags(): string {
  const script: string = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts['start:prod'];
  return script.split(' ').filter((word) => word.startsWith('--')).join(' ');
}
