import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['placard-source'] },
  test: {
    include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
