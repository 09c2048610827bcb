/** A tiny JSON-over-HTTP client for the demo: fetch only, errors that say what was asked and what came back. */

export class DemoError extends Error {}

export class HttpError extends DemoError {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${url} answered ${status}: ${JSON.stringify(body)}`);
  }
}

export interface JsonClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

/** A client for one base URL, optionally with an API key sent as `Authorization: Bearer …`. */
export function jsonClient(baseUrl: string, apiKey?: string): JsonClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const url = `${baseUrl.replace(/\/$/, '')}${path}`;
    const headers: Record<string, string> = {};
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new DemoError(`cannot reach ${url} (${cause}). Is \`npm run dev\` running?`);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error message
    }
    if (!response.ok) throw new HttpError(method, url, response.status, parsed);
    return parsed as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body ?? {}),
    patch: (path, body) => call('PATCH', path, body ?? {}),
    delete: async (path) => {
      await call('DELETE', path);
    },
  };
}
