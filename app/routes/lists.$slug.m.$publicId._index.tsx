import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { excerptOf } from "~/archive/quote-fold";
import { findMessage, goneNotice, loadMessagePage } from "~/archive/read-message.server";
import { clearArchiveReadCache, findVisibleList, presentList, viewerOf } from "~/archive/read.server";
import { hideMessage, isHideReasonCategory, unhideMessage } from "~/archive/takedown.server";
import { ArchiveBreadcrumb } from "~/components/archive-breadcrumb";
import { ArchiveMessageArticle } from "~/components/archive-message-article";
import { ArchiveModeration } from "~/components/archive-moderation";
import { ArchiveOwnership } from "~/components/archive-ownership";
import { requireUser } from "~/utils/auth/guards.server";
import { forbidden } from "~/utils/http";
import { canHideMessage } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  if ("gone" in data) return [{ title: `Message removed · ${data.list.name} · Threadline` }, { name: "robots", content: "noindex" }];
  const { message, list } = data;
  const text = message.blocks.filter((b) => b.kind === "text").map((b) => b.text).join("\n");
  return [
    { title: `${message.subject} · ${list.name} · Threadline` },
    { name: "description", content: excerptOf(text, 160) || `A message to the ${list.name} mailing list, hosted by ${list.hostName}.` },
    { tagName: "link", rel: "canonical", href: message.url },
    ...(message.hidden ? [{ name: "robots", content: "noindex" }] : []),
  ];
};

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const cacheControl = loaderHeaders.get("Cache-Control");
  const out: Record<string, string> = {};
  if (cacheControl) out["Cache-Control"] = cacheControl;
  return out;
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const viewer = viewerOf(context.auth?.user);
  const list = await findVisibleList(params.slug, viewer);
  const message = await findMessage(list, params.publicId);
  if (message.hiddenAt && !viewer.seeHidden) {
    // 410 is cacheable by default; a message can come back when a moderator unhides it.
    return data({ gone: goneNotice(list, message), list: presentList(list) }, { status: 410, headers: { "Cache-Control": "no-cache" } });
  }
  const page = await loadMessagePage(list, message, viewer, new URL(request.url).searchParams.get("view"));
  return { ...page, list: presentList(list), canModerate: canHideMessage(viewer.actor) };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  if (!canHideMessage(user)) forbidden("Only moderators can hide or unhide archived messages.");
  const list = await findVisibleList(params.slug, viewerOf(user));
  const message = await findMessage(list, params.publicId);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const category = String(form.get("reasonCategory") ?? "");
  const reasonText = String(form.get("reasonText") ?? "").trim();
  if (reasonText.length < 3 || reasonText.length > 500) {
    return data({ error: "Give a reason of 3 to 500 characters; it goes to the moderation log." }, { status: 400 });
  }
  const target = { id: list.id, slug: list.slug };
  let result: unknown;
  if (intent === "hide") {
    if (!isHideReasonCategory(category)) return data({ error: "Choose a reason category." }, { status: 400 });
    result = await hideMessage(user.id, target, message.publicId, category, reasonText);
  } else if (intent === "unhide") {
    result = await unhideMessage(user.id, target, message.publicId, reasonText);
  } else {
    return data({ error: "Unknown action." }, { status: 400 });
  }
  if (result && typeof result === "object" && "ok" in result && result.ok === false) {
    const text = "message" in result && typeof result.message === "string" ? result.message : "The change could not be made.";
    return data({ error: text }, { status: 400 });
  }
  clearArchiveReadCache();
  throw redirect(`/lists/${list.slug}/m/${message.publicId}`);
}

export default function MessagePage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if ("gone" in loaded) {
    const { gone, list } = loaded;
    return (
      <div>
        <ArchiveBreadcrumb items={[{ label: list.name, href: list.url }, { label: "Removed message" }]} />
        <div className="card mt-4 p-6">
          <h1 className="text-2xl font-semibold">Message removed</h1>
          <p className="mt-2 text-slate-700">{gone.explanation}</p>
          <p className="mt-2 text-sm text-slate-600">
            {gone.threadUrl ? <><a href={gone.threadUrl}>Read the rest of the thread</a> or </> : null}
            <a href={list.url}>browse the {list.name} archive</a>.
          </p>
        </div>
        <ArchiveOwnership list={list} className="mt-4" />
      </div>
    );
  }
  const { message, list, canModerate } = loaded;
  return (
    <div>
      <ArchiveBreadcrumb
        items={[
          { label: list.name, href: list.url },
          ...(message.thread ? [{ label: "Thread", href: message.thread.url }] : []),
          { label: "Message" },
        ]}
      />
      <h1 className="mt-1 text-2xl font-semibold">{message.subject}</h1>
      <ArchiveOwnership list={list} className="mt-4" />
      <ArchiveMessageArticle message={message} list={list} />
      {canModerate ? <ArchiveModeration hidden={message.hidden} error={actionData?.error} /> : null}
    </div>
  );
}
