import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // PGlite boots a WASM PostgreSQL per test file; give integration suites room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
