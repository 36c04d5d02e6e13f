// The raw bytes of a message the importer could not archive, for a moderator
// to inspect. Always a download, never rendered: the bytes are hostile input.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { importFailureRaw } from "~/archive/ingest-runs.server";
import { getListBySlug } from "~/archive/lists.server";
import { requireModerator } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const list = await getListBySlug(params.slug ?? "");
  if (!list) notFound("There is no archived list with this slug.");
  const id = Number(params.id);
  const failure = Number.isSafeInteger(id) && id > 0 ? await db.importFailure.findFirst({ where: { id, listId: list.id }, select: { id: true } }) : null;
  if (!failure) notFound("There is no such import failure for this list.");
  const raw = await importFailureRaw(failure.id);
  if (!raw) notFound("The importer never read this message's bytes, so there is nothing to download.");
  return new Response(new Uint8Array(raw), {
    status: 200,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": String(raw.length),
      "Content-Disposition": `attachment; filename="${list.slug}-failure-${failure.id}.eml.txt"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
