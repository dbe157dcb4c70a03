// A small local ESLint plugin enforcing the layout's import boundaries. Type-only imports are
// allowed everywhere: they vanish at build time and let clients share server-defined types.
import { dirname, relative, resolve } from "node:path";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");

function layerOf(absPath) {
  const rel = relative(ROOT, absPath).split("\\").join("/");
  if (rel.startsWith("..")) return null;
  return rel.split("/")[0];
}

function targetPath(source, fromFile) {
  if (source.startsWith("@/")) return resolve(ROOT, source.slice(2));
  if (source.startsWith(".")) return resolve(dirname(fromFile), source);
  return null; // a package
}

const layers = {
  meta: { type: "problem", schema: [], messages: { bad: "{{from}} may not import {{to}}: {{why}}" } },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    const text = context.sourceCode.getText();
    const isClient = /^\s*(['"])use client\1/.test(text);
    function check(node, source, typeOnly) {
      if (typeOnly || typeof source !== "string") return;
      const target = targetPath(source, file);
      if (!target) return;
      const to = layerOf(target);
      let why = null;
      if (from === "core" && to !== "core") why = "core/ is pure and imports only core/";
      else if (from === "workers" && (to === "app" || to === "server")) why = "workers/ never import app/ or server/";
      else if (isClient && to === "server") why = "client components reach the server only through tRPC or routes";
      if (why) context.report({ node, messageId: "bad", data: { from: from ?? "?", to: source, why } });
    }
    return {
      ImportDeclaration(node) {
        const allTypes = node.importKind === "type" || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === "type"));
        check(node, node.source.value, allTypes);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === "type");
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === "type");
      },
      ImportExpression(node) {
        if (node.source.type === "Literal") check(node, node.source.value, false);
      },
    };
  },
};

export default { rules: { layers } };
