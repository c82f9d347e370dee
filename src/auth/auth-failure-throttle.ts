import { Injectable } from '@nestjs/common';
import { EnvironmentVariables } from '../config/environment';

const WINDOW_MS = 60_000;
/** Past this many clients tracked, the oldest are forgotten: memory stays bounded whoever knocks. */
const MAX_CLIENTS = 10_000;

/**
 * Counts authentication failures per client in a sliding minute, in memory
 * (per process). Only failures count: a busy client with a good token is never
 * slowed down.
 */
@Injectable()
export class AuthFailureThrottle {
  private readonly limit: number;
  /** Client -> times of its failures in the window, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(environment: EnvironmentVariables) {
    this.limit = environment.CMDB_AUTH_FAILURES_PER_MINUTE;
  }

  /** Seconds the client must wait before trying again, or 0 when it may try now. */
  retryAfterSeconds(client: string, now = Date.now()): number {
    const times = this.recent(client, now);
    if (times.length < this.limit) return 0;
    return Math.max(1, Math.ceil((times[times.length - this.limit] + WINDOW_MS - now) / 1000));
  }

  recordFailure(client: string, now = Date.now()): void {
    const times = this.recent(client, now);
    times.push(now);
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.failures.delete(client); // re-inserted last: the Map's order is then least recently failed first
    this.failures.set(client, times);
    if (this.failures.size > MAX_CLIENTS) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(client: string, now: number): number[] {
    const times = this.failures.get(client);
    if (!times) return [];
    const firstRecent = times.findIndex((time) => time > now - WINDOW_MS);
    if (firstRecent === -1) {
      this.failures.delete(client);
      return [];
    }
    if (firstRecent > 0) times.splice(0, firstRecent);
    return times;
  }
}
