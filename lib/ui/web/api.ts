/// <reference lib="dom" />
/**
 * The page's side of the JSON API: the run's token (from the page's own address),
 * sent as `Authorization: Bearer` with every call.
 *
 * @module
 */

/** The token the page was opened with. */
export const TOKEN = new URLSearchParams(location.search).get("token") ?? "";

/** A failed API call. */
export class ApiFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { ...(init.headers ?? {}), authorization: `Bearer ${TOKEN}` },
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiFailure(0, `cannot reach kubestellar ui: ${(e as Error).message}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const msg = (body as { error?: string } | undefined)?.error ?? `${res.status}`;
    throw new ApiFailure(res.status, msg);
  }
  return body as T;
}

/** GET a JSON resource. */
export function getJson<T>(path: string): Promise<T> {
  return call<T>(path);
}

/** POST JSON, read JSON. */
export function postJson<T>(path: string, body: unknown): Promise<T> {
  return call<T>(path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
}
