import { defineConfig } from 'vitest/config';

// eslint-disable-next-line no-restricted-exports -- vitest reads the default export
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
