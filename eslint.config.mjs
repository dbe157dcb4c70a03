// Lint: TypeScript rules, the layout's import boundaries (scripts/eslint-boundaries.mjs) and
// drizzle's guard against an update or delete without `where` (it would touch every row).
import js from "@eslint/js";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";
import { boundariesConfig } from "./scripts/eslint-boundaries.mjs";

// Names our code gives a drizzle database or transaction handle.
const drizzleObjectName = ["db", "tx"];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**", ".next/**", "data/**", "public/**", "drizzle/**", "training/**", "packages/*/dist/**",
      "test-results/**", "playwright-report/**", "artifacts/**", "next-env.d.ts", "**/*.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  boundariesConfig,
  {
    plugins: { drizzle },
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName }],
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "bin/**", "scripts/**"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
