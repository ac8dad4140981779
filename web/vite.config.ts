import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The dashboard builds to web/dist, which the Fastify server serves at `/` (see src/cli/build-web.ts). */
export default defineConfig({
  root: here("."),
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true, // read by src/cli/build-web.ts to weigh what the first page loads
    target: "es2022",
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      // React libraries mark files "use client" for server components; a browser bundle ignores that.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
