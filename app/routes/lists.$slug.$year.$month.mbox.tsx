import type { LoaderFunctionArgs } from "@remix-run/node";
import { mboxResponse } from "~/archive/mbox-export.server";
import { parseMonth } from "~/archive/read-month.server";
import { findVisibleList, viewerOf } from "~/archive/read.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const viewer = viewerOf(context.auth?.user);
  const list = await findVisibleList(params.slug, viewer);
  const range = parseMonth(params.year, params.month);
  return mboxResponse(list, { date: { gte: range.start, lt: range.end } }, viewer, `${list.slug}-${range.key}.mbox`);
}
