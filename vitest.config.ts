import { defineConfig } from "vitest/config";

// One NIK key for the whole run (src/db/nik-vault.ts): the migrated snapshot of global setup, the test
// workers and the CLI processes the tests spawn must seal and look up NIKs alike. A test value, not a secret.
process.env.PANTAU_NIK_KEY ??= "7e57".repeat(16);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // PGlite boots a WASM PostgreSQL per test file; give integration suites room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
