import { unknownPath } from "@/server/http/unrouted";

// Any /api/ path no other route serves: the REST error contract's 404, not Next.js's HTML page.
export const dynamic = "force-dynamic";
export { unknownPath as GET, unknownPath as HEAD, unknownPath as POST, unknownPath as PUT, unknownPath as PATCH, unknownPath as DELETE, unknownPath as OPTIONS };
