/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Native or wasm-heavy server packages are loaded by Node at run time, not bundled; so are the
  // limiter and its Redis client, whose objects live in process state and must be one copy per process.
  serverExternalPackages: [
    "rate-limiter-flexible",
    "ioredis",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "@node-rs/argon2",
    "onnxruntime-node",
    "sharp",
    "@roamhq/wrtc",
    "pino",
    "pg",
    "pg-boss",
    "ws",
    "@vladmandic/human",
    "@tensorflow/tfjs-core",
    "@tensorflow/tfjs-converter",
    "@tensorflow/tfjs-backend-wasm",
  ],
  poweredByHeader: false,
  // `next build` is Turbopack in Next 16: WGSL shaders are imported as strings (workers/render/wgsl.d.ts),
  // so the render worker never fetches its shader at run time.
  turbopack: { rules: { "*.wgsl": { type: "raw" } } },
  // `npm test` type-checks the whole repo with tsc first; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  // The embeddable widget (docs/widget.md) runs on customers' pages: its files are readable from any
  // origin (no cookies ride along), the content-hashed ones cached for a year, the loader briefly so
  // a deploy reaches pages within minutes. /files/ URLs are capabilities already public to whoever
  // holds them; CORS lets the widget decode its avatar's portrait.
  async headers() {
    const cors = { key: "Access-Control-Allow-Origin", value: "*" };
    return [
      { source: "/widget.js", headers: [cors, { key: "Cache-Control", value: "public, max-age=300" }] },
      { source: "/widget/:path*", headers: [cors, { key: "Cache-Control", value: "public, max-age=31536000, immutable" }] },
      { source: "/files/:token", headers: [cors] },
    ];
  },
  env: { TIC_APP_VERSION: process.env.npm_package_version ?? "0.0.0" },
};

export default nextConfig;
