import { z, type ZodType } from "zod";

// Request schemas of the served OpenAPI document are generated from the zod schemas the routes parse
// with (so the two cannot drift), with a description per field added here.

type Json = Record<string, unknown>;

/** The JSON Schema of a request body as clients send it (defaults optional), each named field described. */
export function describedBodySchema(schema: ZodType, descriptions: Record<string, string>): Json {
  const json = z.toJSONSchema(schema, { io: "input" }) as Json & { properties: Record<string, Json> };
  delete json.$schema;
  for (const [name, description] of Object.entries(descriptions)) if (json.properties[name]) json.properties[name].description = description;
  return json;
}

/** A query schema as OpenAPI query parameters, all optional, each described. */
export function queryParameters(schema: ZodType, descriptions: Record<string, string>): Json[] {
  const q = z.toJSONSchema(schema, { io: "input" }) as { properties: Record<string, Json> };
  return Object.entries(q.properties).map(([name, s]) => ({ name, in: "query", required: false, description: descriptions[name], schema: s }));
}
