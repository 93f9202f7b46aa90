import { defineConfig } from 'vitest/config';

// One real server and one browser per run: files run one after another, steps in order.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 60_000,
    // expect.poll's default (1 s) is short on a machine shared with other builds.
    expect: { poll: { timeout: 5_000 } },
    hookTimeout: 120_000,
  },
});
