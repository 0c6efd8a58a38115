import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails the run first, with one message, when the Debian packages the tests need are missing.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Browser, nginx and build tests are heavy; two cores on CI.
    maxWorkers: 2,
  },
});
