import type { LoaderFunctionArgs } from "@remix-run/node";
import { mboxResponse } from "~/archive/mbox-export.server";
import { resolveThread } from "~/archive/read-thread.server";
import { findVisibleList, viewerOf } from "~/archive/read.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = viewerOf(context.auth?.user);
  const list = await findVisibleList(params.slug, viewer);
  const { thread } = await resolveThread(list, params.publicId);
  return mboxResponse(list, { threadId: thread.id }, viewer, `${list.slug}-thread-${thread.publicId}.mbox`);
}
