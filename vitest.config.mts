import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const libs = fileURLToPath(new URL('./libs/', import.meta.url));

export default defineConfig({
  resolve: {
    // the same mapping as package.json "imports" under the placard-source condition
    alias: [{ find: /^#libs\/([a-z-]+)$/, replacement: `${libs}$1/index.ts` }],
    conditions: ['placard-source'],
  },
  test: {
    include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.spec.ts', 'scripts/**/*.spec.ts'],
    environment: 'node',
    // the default console report, plus a JSON summary that .ci/run turns into one closing line
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
