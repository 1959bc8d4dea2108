import { defineConfig } from 'vitest/config';
import { PlainSummaryReporter } from './test/support/plain-summary-reporter.js';

/**
 * `npm test` runs the fast tests; `npm run test:slow` (TEREDOSCOPE_TESTS=slow) runs the files named
 * `*.slow.test.ts`: those that take more than ~10 s, measure memory or spawn many processes.
 */
const slow = process.env.TEREDOSCOPE_TESTS === 'slow';

// eslint-disable-next-line no-restricted-exports -- vitest reads the default export
export default defineConfig({
  test: {
    include: slow ? ['test/**/*.slow.test.ts'] : ['test/**/*.test.ts'],
    exclude: slow ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/**/*.slow.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/property-seed.ts'],
    reporters: ['default', new PlainSummaryReporter()],
  },
});
