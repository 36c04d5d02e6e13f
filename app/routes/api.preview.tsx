import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { ContentTooLongError, renderMarkdown } from "~/content/markdown.server";
import { requireUser } from "~/utils/auth/guards.server";
import { consumeLimit } from "~/utils/rate-limit.server";

/** Live preview for the composer: the same renderer and sanitizer as a saved post. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const limit = consumeLimit(`preview:${user.id}`, { max: 120, windowMs: 60_000 });
  if (!limit.ok) return data({ html: "<p>Preview paused: too many requests. It resumes in a moment.</p>" }, { status: 429 });
  const body = String((await request.formData()).get("body") ?? "");
  try {
    return { html: renderMarkdown(body).html };
  } catch (error) {
    if (error instanceof ContentTooLongError) return data({ html: "<p>This post is too long to preview.</p>" }, { status: 400 });
    throw error;
  }
}
