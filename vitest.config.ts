import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers (JVMs included); give them room, never assert on timing.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: more workers only make the JVM-backed suites fight for CPU.
    maxWorkers: 2,
  },
});
