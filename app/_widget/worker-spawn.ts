// Workers of the widget live on our origin while the page is someone else's, and a Worker must be
// same-origin with its page. A tiny module worker from a blob: URL (the page's origin) imports the
// real one across origins; our origin serves it with CORS (next.config.mjs). Host pages with a CSP
// need `worker-src blob:` (docs/widget.md).

/** A module worker running `url` (absolute, any origin that allows CORS). */
export function spawnModuleWorker(url: string): Worker {
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: "text/javascript" }));
  const w = new Worker(shim, { type: "module" });
  // The shim is read when the worker starts; revoking it later leaves the worker running.
  setTimeout(() => URL.revokeObjectURL(shim), 30_000);
  return w;
}
