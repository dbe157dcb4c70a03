// The layout's import boundaries (see ../shared/STYLE.md), enforced by eslint-plugin-boundaries.
// Type-only imports cross every boundary the old rules drew: they vanish at build time and let
// clients share server-defined types. The two newer boundaries (services → http, dashboard → demo)
// refuse types too, since a type is coupling there as much as a value.
import boundaries from "eslint-plugin-boundaries";

const ROOT = new URL("..", import.meta.url).pathname;

// `import { type A, type B } from "x"` is erased like `import type`, so it counts as a type import.
const ALL_TYPE_SPECIFIERS = ":has(ImportSpecifier[importKind=type]):not(:has(ImportSpecifier[importKind=value], ImportDefaultSpecifier, ImportNamespaceSpecifier))";
const TYPE_IMPORT = `ImportDeclaration[importKind=type], ImportDeclaration[importKind=value]${ALL_TYPE_SPECIFIERS}`;
const VALUE_IMPORT = `ImportDeclaration[importKind=value]:not(${ALL_TYPE_SPECIFIERS})`;
// A client component is a module whose directive prologue says "use client": a path cannot tell,
// so its imports are also visited under a second name that the client policy selects.
const IN_CLIENT_MODULE = 'Program:has(> ExpressionStatement[directive="use client"])';

const dependencyNodes = [
  { selector: `:matches(${TYPE_IMPORT}) > Literal`, kind: "type", name: "import" },
  { selector: `${VALUE_IMPORT} > Literal`, kind: "value", name: "import" },
  { selector: `${IN_CLIENT_MODULE} ${VALUE_IMPORT} > Literal`, kind: "value", name: "client-import" },
  { selector: `${IN_CLIENT_MODULE} :matches(ExportNamedDeclaration, ExportAllDeclaration):not([exportKind=type]) > Literal`, kind: "value", name: "client-import" },
  { selector: `${IN_CLIENT_MODULE} ImportExpression > Literal`, kind: "value", name: "client-import" },
];

// First match wins, so the narrower folders come before their parents.
const elements = [
  { type: "core", pattern: "core/**", partialMatch: false },
  { type: "workers", pattern: "workers/**", partialMatch: false },
  { type: "server-http", pattern: "server/http/**", partialMatch: false },
  { type: "server-services", pattern: "server/services/**", partialMatch: false },
  { type: "server", pattern: "server/**", partialMatch: false },
  { type: "app-demo", pattern: "app/demo/**", partialMatch: false },
  // Escaped: a bare "(platform)" is a micromatch group and would match "app/platform/**".
  { type: "app-platform", pattern: "app/\\(platform\\)/**", partialMatch: false },
  { type: "app", pattern: "app/**", partialMatch: false },
];

// Every import is visited once as "import"/"export"/"dynamic-import"; client modules' imports a
// second time as "client-import", which only the client policy looks at (one report per import).
const any = { nodeKind: "!client-import" };
const value = { ...any, kind: "value" };
const local = { module: { origin: "local" } };
const element = (type) => ({ element: { type } });

// Tests and their helpers may drive the REST edge or reuse its fixtures: that exercises a layer
// through the one above it; the boundaries below protect what runs in production.
const files = [
  { category: "test", pattern: ["**/*.test.ts", "**/*.test.tsx", "**/testing/**"] },
];
const exempt = { file: { categories: ["test"] } };

const policies = [
  {
    from: element("core"),
    disallow: { to: local, dependency: value },
    message: "core/ is pure and imports only core/ (it runs in browser, worker and Node)",
  },
  { from: element("core"), allow: { to: element("core") } },
  {
    from: element("workers"),
    disallow: { to: element("{app,app-*,server,server-*}"), dependency: value },
    message: "workers/ never import app/ or server/: they talk to the page by messages",
  },
  {
    disallow: { to: element("{server,server-*}"), dependency: { kind: "value", nodeKind: "client-import" } },
    message: 'a "use client" module reaches the server only through tRPC or route handlers',
  },
  {
    from: element("server-services"),
    disallow: { to: element("server-http"), dependency: any },
    message: "server/services/ is shared by tRPC and REST, so it never imports the REST edge (server/http/)",
  },
  {
    from: element("app-platform"),
    disallow: { to: element("app-demo"), dependency: any },
    message: "the dashboard (app/(platform)/) never imports the public demo (app/demo/): share the piece from a common place",
  },
  { from: { ...element("{server-services,app-platform}"), ...exempt }, allow: { to: element("{server-http,app-demo}"), dependency: any } },
];

/** The flat-config block: plugin, file classification, resolver (for the `@/` alias) and policies. */
export const boundariesConfig = {
  plugins: { boundaries },
  settings: {
    "boundaries/root-path": ROOT,
    "boundaries/elements": elements,
    "boundaries/files": files,
    "boundaries/dependency-nodes": ["export", "dynamic-import"],
    "boundaries/additional-dependency-nodes": dependencyNodes,
    "boundaries/legacy-templates": false,
    "import/resolver": { typescript: { project: `${ROOT}tsconfig.json` } },
  },
  rules: {
    // checkUnknownLocals: core/ must not reach files outside every element either (packages/, scripts/).
    "boundaries/dependencies": ["error", { default: "allow", checkUnknownLocals: true, policies }],
  },
};
