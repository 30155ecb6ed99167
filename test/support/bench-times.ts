import { readFileSync } from 'node:fs';

/**
 * Seconds of each measured call, per side, for the goal's ratio a lab bench prints itself: the two sides take turns
 * within one bench task, which tinybench's table cannot compare.
 */
export class BenchTimes {
  private readonly seconds = new Map<string, number[]>();

  /** `warmups`: the first calls of each side, measured but left out of the figures. */
  constructor(private readonly warmups = 0) {}

  async time(name: string, work: () => Promise<unknown>): Promise<void> {
    const started = performance.now();
    await work();
    this.add(name, (performance.now() - started) / 1000);
  }

  /** Records a figure measured elsewhere (in a page, say), in seconds. */
  add(name: string, seconds: number): void {
    const list = this.seconds.get(name) ?? [];
    list.push(seconds);
    this.seconds.set(name, list);
  }

  /** Whether `name` has `measured` calls past its warm-ups (a bench may call its teardown after the warm-ups too). */
  has(name: string, measured: number): boolean {
    return this.measured(name).length >= measured;
  }

  mean(name: string): number {
    const values = this.measured(name);
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  }

  /** The value `fraction` of the measured calls are at or under (0.95: the 95th percentile), nearest rank. */
  percentile(name: string, fraction: number): number {
    const sorted = [...this.measured(name)].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
  }

  range(name: string): string {
    const values = this.measured(name);
    return `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)} s`;
  }

  private measured(name: string): number[] {
    return (this.seconds.get(name) ?? []).slice(this.warmups);
  }
}

export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
