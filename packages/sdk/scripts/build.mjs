// Builds realtime-avatar: esbuild bundles the ESM entry (with core/mux, the wire format's one
// source of truth, which the SDK imports by relative path), and tsc emits the .d.ts files.
import { rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ts from "typescript";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(pkg, "dist");
rmSync(dist, { recursive: true, force: true });

await build({
  entryPoints: [join(pkg, "src/index.ts")],
  outfile: join(dist, "index.js"),
  bundle: true,
  format: "esm",
  // Browsers, web workers and Node alike: nothing platform-specific is pulled in.
  platform: "neutral",
  target: "es2022",
  logLevel: "warning",
});

emitDeclarations(join(pkg, "tsconfig.build.json"));
console.log("built", dist);

/**
 * tsc's declaration emit, with each relative specifier pointed at the file it resolves to
 * ("../../../core/mux" → "../../../core/mux/index.js"): sources are extensionless (bundler
 * resolution, like the rest of the repo), and a consumer on Node's own resolution (nodenext)
 * cannot open an extensionless .d.ts import. The compiler resolves them, so nothing is guessed.
 */
function emitDeclarations(configPath) {
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: fail });
  const program = ts.createProgram(config.fileNames, config.options);
  const fixSpecifiers = (context) => (root) => {
    if (!ts.isSourceFile(root)) return root;
    const from = root.fileName;
    const target = (spec) => {
      if (!ts.isStringLiteral(spec) || !spec.text.startsWith(".")) return spec;
      const resolved = ts.resolveModuleName(spec.text, from, config.options, ts.sys).resolvedModule;
      if (!resolved) fail(`${from}: cannot resolve ${spec.text}`);
      let rel = relative(dirname(from), resolved.resolvedFileName).replace(/\\/g, "/").replace(/(\.d)?\.ts$/, ".js");
      if (!rel.startsWith(".")) rel = `./${rel}`;
      return ts.factory.createStringLiteral(rel);
    };
    const visit = (node) => {
      const f = ts.factory;
      if (ts.isImportDeclaration(node)) return f.updateImportDeclaration(node, node.modifiers, node.importClause, target(node.moduleSpecifier), node.attributes);
      if (ts.isExportDeclaration(node) && node.moduleSpecifier)
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, target(node.moduleSpecifier), node.attributes);
      if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
        return f.updateImportTypeNode(node, f.updateLiteralTypeNode(node.argument, target(node.argument.literal)), node.attributes, node.qualifier, node.typeArguments, node.isTypeOf);
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(root, visit, context);
  };
  const result = program.emit(undefined, undefined, undefined, true, { afterDeclarations: [fixSpecifiers] });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) fail(ts.formatDiagnosticsWithColorAndContext(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => pkg, getNewLine: () => "\n" }));
}

function fail(message) {
  throw new Error(typeof message === "string" ? message : ts.flattenDiagnosticMessageText(message.messageText, "\n"));
}
