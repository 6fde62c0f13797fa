import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const demo = (dir: string) => fileURLToPath(new URL(`./tests/fixtures/demo/${dir}`, import.meta.url));

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests sync the small demo set the project wrote, not the full shipped dumps (which the
    // offline-default test and the bench read explicitly).
    env: { MODEL_LEDGER_SOURCES: demo('sources'), MODEL_LEDGER_SNAPSHOTS: demo('snapshots') },
  },
});
