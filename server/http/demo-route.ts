import "server-only";
import type { AddressLimit } from "../services/rate-limit";
import { clientAddress } from "./client-address";
import { serveRequest, type Served } from "./edge";
import { bodyReader, limitedRequest, type BodyLimit, type BodyReader } from "../services/request-body";

// The edge of the public demo's route handlers (app/api/demo/**), the signed-out twin of
// dashboardRoute: nobody signs in, so the client's address is what is limited. Body limit, errors in
// the contract's shape, the request id and one log line, as on every other edge.

export type DemoContext = Served & { address: string; body: BodyReader };
export type DemoHandler = (req: Request, ctx: DemoContext) => Promise<Response>;

/**
 * Wraps a public demo handler. `addressLimit` is charged before the body is read (every request
 * counts); a route that charges only some requests (cache misses) charges `ctx.address` itself.
 */
export function demoRoute(name: string, handler: DemoHandler, options: { bodyLimit: BodyLimit; addressLimit?: AddressLimit }): (req: Request) => Promise<Response> {
  return (req) =>
    serveRequest(req, "demo request", async (served) => {
      served.logged.route = name;
      const address = clientAddress(req);
      await options.addressLimit?.charge(address);
      const limited = limitedRequest(req, options.bodyLimit);
      return handler(limited, { ...served, address, body: bodyReader(limited, options.bodyLimit) });
    });
}
