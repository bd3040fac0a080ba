import { defineConfig } from 'vitest/config';

// One project per test tier; the tier is in the file name (STYLE.md, point 9).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['*/src/**/*.unit.test.ts', 'infra/local/src/**/*.unit.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'int',
          include: ['*/src/**/*.int.test.ts', 'infra/local/src/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['infra/local/src/testStack.globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
