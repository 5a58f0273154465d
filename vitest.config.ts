import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // examples/: app code with the tests an app team would write for it (against dify-service-client/testing).
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // Type tests (*.test-d.ts) run through tsc as part of `npm test`.
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
      // TypeScript 5.9 by path: typescript@7 (for the package test) also installs a `tsc` command.
      checker: "node_modules/typescript/bin/tsc",
    },
    // Two cores: generator and Prism tests spawn processes, keep the pool small.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
