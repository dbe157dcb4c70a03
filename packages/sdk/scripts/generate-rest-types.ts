// The SDK's REST types, generated from the OpenAPI document the server serves at /openapi.json
// (the seed contract server/http/openapi/contract.json plus the platform's operations,
// server/http/openapi/extensions.ts): `npm run generate:types -w realtime-avatar` writes them to
// src/rest/contract.generated.ts, and src/rest/contract.test.ts fails when the file drifts from
// what this renders now. src/rest/types.ts gives the generated schemas the SDK's public names.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { extendedContract } from "../../../server/http/openapi/extensions";

export const GENERATED_PATH = fileURLToPath(new URL("../src/rest/contract.generated.ts", import.meta.url));

const HEADER = `// Generated from the served OpenAPI document (server/http/openapi/extensions.ts) by packages/sdk/scripts/generate-rest-types.ts.
// Do not edit: run \`npm run generate:types -w realtime-avatar\` (src/rest/contract.test.ts checks it).

`;

/** The generated module's text for the contract as it is now. */
export async function renderRestTypes(): Promise<string> {
  // A copy: openapi-typescript annotates the document it is given.
  const contract = structuredClone(extendedContract()) as unknown as OpenAPI3;
  const nodes = await openapiTS(contract, {
    // A field with a default is still optional to send; the server fills it in.
    defaultNonNullable: false,
    // `{ type: "object" }` (settings, metadata) is any JSON object, not an empty one.
    emptyObjectsUnknown: true,
    // Each schema also as a root export under its contract name, which rest/types.ts re-exports.
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    rootTypesKeepCasing: true,
    silent: true,
  });
  return HEADER + astToString(nodes);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED_PATH, await renderRestTypes());
  console.log("wrote", GENERATED_PATH);
}
