// Lint: TypeScript rules plus the layout's import boundaries (see ../shared/STYLE.md):
// core/ imports nothing of ours outside core/; workers/ never import app/ or server/;
// client components ("use client") never import server/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import boundaries from "./scripts/eslint-boundaries.mjs";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**", ".next/**", "data/**", "public/**", "drizzle/**", "training/**", "packages/*/dist/**",
      "test-results/**", "playwright-report/**", "artifacts/**", "next-env.d.ts", "**/*.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { boundaries },
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "boundaries/layers": "error",
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
