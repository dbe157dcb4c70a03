import Link from "next/link";

export default function LandingPage() {
  return (
    <main>
      <section className="hero">
        <span className="badge">TIC Realtime Avatar</span>
        <h1>A portrait becomes a live talking face — rendered on your viewer&apos;s GPU.</h1>
        <p className="muted">
          Upload a photo, send text or audio, and stream an audio-clocked talking avatar. Lipsync runs in the browser
          (our own audio-to-viseme model in a web worker, a WGSL renderer on WebGPU), so a talking minute costs almost
          nothing to serve. When a client cannot render, the server renders the same frames.
        </p>
        <div className="row">
          <Link className="button primary" href="/sign-up">Create a free workspace</Link>
          <Link className="button" href="/sign-in">Sign in</Link>
          <Link className="button" href="/demo">Try the demo</Link>
          <Link className="button" href="/docs">API reference</Link>
        </div>
      </section>
      <section className="features">
        <div className="card"><h2>REST API v1</h2><p className="muted">Avatars, assets, realtime turns streamed as one binary, audio-clocked mux; lipsync to MP4.</p></div>
        <div className="card"><h2>Billing you can predict</h2><p className="muted">Integer credit micros, reservations settled to the seconds actually rendered, per-key spend limits.</p></div>
        <div className="card"><h2>Runs anywhere</h2><p className="muted">An embedded database by default; PostgreSQL or Neon in production. Scoped API keys, idempotency, rate limits.</p></div>
      </section>
    </main>
  );
}
