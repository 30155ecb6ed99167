import type { Reporter, TestModule } from 'vitest/node';

/** Closes the run with one plain "N passed, N failed, N skipped" line that CI reads; skipped tests never count as passed. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file that fails to load has no tests to count; it is still a failure.
      if (testModule.state() === 'failed' && testModule.children.size === 0) counts.failed += 1;
    }
    counts.failed += unhandledErrors.length;
    console.log(`\nairspray: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
