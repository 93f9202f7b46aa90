import { defineConfig } from 'vitest/config';

// Every suite gets its own fresh database (see test/harness.ts); the dialect is
// chosen by DATABASE_URL, so the same test bodies run on SQLite and PostgreSQL.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    isolate: false,
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
