import type { LoaderFunctionArgs } from "@remix-run/node";
import { rawMessageResponse } from "~/archive/read-download.server";
import { findMessage } from "~/archive/read-message.server";
import { findVisibleList, viewerOf } from "~/archive/read.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = viewerOf(context.auth?.user);
  const list = await findVisibleList(params.slug, viewer);
  return rawMessageResponse(list, await findMessage(list, params.publicId), viewer);
}
