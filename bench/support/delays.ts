/** The value `fraction` of the way up sorted values (nearest rank); NaN when there are none. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** `p50 … ms, p99 … ms, max … ms` of delays given in any order. */
export function delaySummary(delays: number[]): string {
  const sorted = [...delays].sort((a, b) => a - b);
  const ms = (fraction: number) => percentile(sorted, fraction).toFixed(0);
  return `p50 ${ms(0.5)} ms, p99 ${ms(0.99)} ms, max ${ms(1)} ms`;
}
