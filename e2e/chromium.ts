// Debian's Chromium (a test tool's own browser download does not work on these machines).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Flags measured in ../shared/notes/headless-webgpu.md: WebGPU through SwiftShader, no network chatter.
export const BASE_FLAGS = [
  "--no-sandbox",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
  "--disable-background-networking",
  "--disable-component-update",
];

export const WEBGPU_FLAGS = [
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-vulkan=swiftshader",
  "--use-webgpu-adapter=swiftshader",
  "--disable-vulkan-surface",
  "--use-angle=swiftshader",
];

/** Launch options for a browser with no WebGPU at all (navigator.gpu.requestAdapter() returns null). */
export const NO_WEBGPU_LAUNCH = { executablePath: CHROMIUM, args: [...BASE_FLAGS, "--disable-gpu"] };
