import { ApiReference } from "@scalar/nextjs-api-reference";

// The API reference, rendered by Scalar from the served contract. The renderer's script is
// self-hosted (app/docs/scalar.js), never loaded from a CDN.
export const GET = ApiReference({
  url: "/openapi.json",
  cdn: "/docs/scalar.js",
  pageTitle: "TIC Realtime Avatar API reference",
  hideClientButton: false,
});
