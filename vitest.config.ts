import { defineConfig } from 'vitest/config';

// Lab tests talk to real hosts (systemd-nspawn machines on an isolated bridge, see test/lab/); only their
// project boots the lab, so a run of unit tests never touches it.
const labTests = ['test/integration/**/*.test.ts', 'test/e2e/lab/**/*.test.ts'];
const propertyTests = ['test/property/**/*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    // Bounds for a hung test or setup, not measures: browser and CLI tests that take 5 s alone outlasted 30 s on a
    // two-core machine loaded by a CI run and four type checks.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Browser tests share the built app and one Chromium binary; keep load within two cores.
    maxWorkers: 2,
    // One flat temporary folder per run, shared by the projects and removed at the end (test/temp-root.ts).
    globalSetup: ['test/temp-root.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...labTests, ...propertyTests],
          benchmark: { include: ['test/bench/*.bench.ts'] },
        },
      },
      // 10,000 hostile cases per property: seconds alone, much longer beside the lab and browser tests on two cores.
      { extends: true, test: { name: 'property', include: propertyTests, testTimeout: 300_000 } },
      // One file at a time: lab tests break hosts on purpose (cut links, kill sshd, change keys).
      {
        extends: true,
        test: {
          name: 'lab',
          include: labTests,
          globalSetup: ['test/lab/global-setup.ts'],
          fileParallelism: false,
          // Real Ansible runs on real hosts: half a minute alone, minutes on a loaded two-core machine (a cluster.yml
          // of the stand-ins outlasted 30 s beside a second CI run, and its cluster lock then failed the next tests).
          testTimeout: 240_000,
          benchmark: { include: ['test/bench/lab/*.bench.ts'] },
        },
      },
    ],
  },
});
