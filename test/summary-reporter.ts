import type { Reporter, TestModule } from 'vitest/node';

/**
 * Closes the run with one plain "N passed, N failed, N skipped" line that CI reads; skipped tests never count as
 * passed.
 */
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
      // A file whose setup failed skips its tests: the file itself counts as a failure.
      const anyTestFailed = [...testModule.children.allTests()].some((test) => test.result().state === 'failed');
      if (testModule.state() === 'failed' && !anyTestFailed) counts.failed += 1;
    }
    counts.failed += unhandledErrors.length;
    console.log(`\nairspray: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
