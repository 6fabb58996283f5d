/**
 * http-error: a request the service refuses, with its status and one-line reason
 * (answered as `{"error": "<reason>"}`).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
