import { ApiKeysPanel } from "./api-keys-panel";
import { PublishableKeysPanel } from "./publishable-keys-panel";

export const dynamic = "force-dynamic";

export default function ApiKeysPage() {
  return (
    <>
      <h1>API keys</h1>
      <p className="muted">
        Keys authenticate the REST API (<a href="/docs">reference</a>). Test keys spend the sandbox wallet, live keys the live wallet.
      </p>
      <ApiKeysPanel />
      <PublishableKeysPanel />
    </>
  );
}
