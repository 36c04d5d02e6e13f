// Calls a route's loader or action the way Remix does, and normalises what
// comes back (plain data, data() with a status, a Response, or a thrown
// Response) to a status and a body.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

export type TestUser = { id: number; role: string; username: string };
type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
export type RouteResult = { status: number; data: unknown; response: Response | null };

export async function callRoute(
  handler: unknown,
  url: string,
  params: Record<string, string>,
  user: TestUser | null = null,
  init?: RequestInit,
): Promise<RouteResult> {
  const request = new Request(`http://archive.test${url}`, init);
  const context = { auth: user ? { user } : null, cspNonce: "", clientKey: "test", cookieOptions: {} };
  try {
    const result = await (handler as Handler)({ request, params, context } as never);
    return normalise(result);
  } catch (thrown) {
    return normalise(thrown);
  }
}

function normalise(result: unknown): RouteResult {
  if (result instanceof Response) return { status: result.status, data: null, response: result };
  if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
    const wrapped = result as unknown as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data, response: null };
  }
  if (result instanceof Error) throw result;
  return { status: 200, data: result, response: null };
}

export async function json(result: RouteResult): Promise<Record<string, unknown>> {
  if (!result.response) throw new Error(`no response (status ${result.status})`);
  return (await result.response.json()) as Record<string, unknown>;
}
