export type DemoErrorBody = { error: string; code: string; status: number; retryable: boolean };

/** An error of the public demo routes, answered as the API's error shape. */
export class DemoError extends Error {
  override name = "DemoError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  body(): DemoErrorBody {
    return { error: this.message, code: this.code, status: this.status, retryable: this.retryable };
  }
}
