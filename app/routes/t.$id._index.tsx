import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getTopic } from "~/forums/read.server";
import { notFound } from "~/utils/http";

/** /t/<id> alone goes to the topic's current URL. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic) notFound("This topic does not exist.");
  throw redirect(`/t/${topic.id}/${topic.slug}`, 301);
}
