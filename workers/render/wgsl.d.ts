/** WGSL sources are bundled as strings (next.config.mjs: turbopack rule `*.wgsl` → raw; esbuild: text loader). */
declare module "*.wgsl" {
  const source: string;
  export default source;
}
