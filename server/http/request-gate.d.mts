import type { IncomingMessage, ServerResponse } from "node:http";

export declare const SERVED_METHODS: string[];
export declare function refusal(method: string | undefined, url: string | undefined): { status: 400 | 405; code: string; error: string } | null;
export declare function gate(req: IncomingMessage, res: ServerResponse, log?: (line: Record<string, unknown>) => void): boolean;
