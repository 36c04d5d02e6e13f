import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { excerptOf } from "~/archive/quote-fold";
import { findMessage, goneNotice, loadMessagePage } from "~/archive/read-message.server";
import { clearArchiveReadCache, findVisibleList, presentList, viewerOf } from "~/archive/read.server";
import { detachMessage, reattachMessage, REASON_MAX, REASON_MIN, type RethreadResult } from "~/archive/rethread.server";
import { hideMessage, isHideReasonCategory, unhideMessage } from "~/archive/takedown.server";
import { ArchiveBreadcrumb } from "~/components/archive-breadcrumb";
import { ArchiveMessageArticle } from "~/components/archive-message-article";
import { ArchiveModeration, type PlacementFeedback } from "~/components/archive-moderation";
import { ArchiveOwnership } from "~/components/archive-ownership";
import { requireUser } from "~/utils/auth/guards.server";
import { echoValues, parseForm } from "~/utils/forms";
import { forbidden } from "~/utils/http";
import { canHideMessage, canModerate as canPlaceMessage } from "~/utils/permissions";

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
  return {
    ...page,
    list: presentList(list),
    canModerate: canHideMessage(viewer.actor),
    canPlace: canPlaceMessage(viewer.actor),
    startsThread: message.parentMessageId === null,
  };
}

const REASON_HINT = `Give a reason of ${REASON_MIN} to ${REASON_MAX} characters; it goes to the moderation log.`;
const placementReason = z.string({ required_error: REASON_HINT }).trim().min(REASON_MIN, REASON_HINT).max(REASON_MAX, REASON_HINT);
const DetachSchema = z.object({ intent: z.literal("detach"), reasonText: placementReason });
const ReattachSchema = z.object({
  intent: z.literal("reattach"),
  parent: z.string({ required_error: "Give the parent's Message-ID or a link to it." }).trim().min(1, "Give the parent's Message-ID or a link to it."),
  reasonText: placementReason,
});

type ActionData = { error: string | null; placement: PlacementFeedback | null };

function placementFailure(intent: PlacementFeedback["intent"], form: FormData, fieldErrors: PlacementFeedback["fieldErrors"], formErrors: string[] = []) {
  return data<ActionData>({ error: null, placement: { intent, fieldErrors, formErrors, values: echoValues(form, ["intent"]) } }, { status: 400 });
}

/** Detach or re-attach: field errors stay with the form that was sent; success opens the message's thread. */
async function placementAction(user: { id: number }, list: { id: number; slug: string }, publicId: string, form: FormData) {
  const intent = form.get("intent") === "detach" ? "detach" : "reattach";
  const parsed = intent === "detach" ? parseForm(DetachSchema, form) : parseForm(ReattachSchema, form);
  if (!parsed.ok) return placementFailure(intent, form, parsed.fieldErrors, parsed.formErrors);
  const result: RethreadResult =
    parsed.data.intent === "detach"
      ? await detachMessage(user.id, list, publicId, parsed.data.reasonText)
      : await reattachMessage(user.id, list, publicId, parsed.data.parent, parsed.data.reasonText);
  if (!result.ok) {
    const field = result.field === "reason" ? "reasonText" : result.field;
    return field ? placementFailure(intent, form, { [field]: [result.message] }) : placementFailure(intent, form, {}, [result.message]);
  }
  clearArchiveReadCache();
  throw redirect(`/lists/${list.slug}/thread/${result.threadPublicId}#m-${publicId}`);
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const placing = intent === "detach" || intent === "reattach";
  if (placing ? !canPlaceMessage(user) : !canHideMessage(user)) {
    forbidden(placing ? "Only moderators can move archived messages between threads." : "Only moderators can hide or unhide archived messages.");
  }
  const list = await findVisibleList(params.slug, viewerOf(user));
  const message = await findMessage(list, params.publicId);
  const target = { id: list.id, slug: list.slug };
  if (placing) return placementAction(user, target, message.publicId, form);
  const failed = (error: string) => data<ActionData>({ error, placement: null }, { status: 400 });
  const category = String(form.get("reasonCategory") ?? "");
  const reasonText = String(form.get("reasonText") ?? "").trim();
  if (reasonText.length < 3 || reasonText.length > 500) {
    return failed("Give a reason of 3 to 500 characters; it goes to the moderation log.");
  }
  let result: unknown;
  if (intent === "hide") {
    if (!isHideReasonCategory(category)) return failed("Choose a reason category.");
    result = await hideMessage(user.id, target, message.publicId, category, reasonText);
  } else if (intent === "unhide") {
    result = await unhideMessage(user.id, target, message.publicId, reasonText);
  } else {
    return failed("Unknown action.");
  }
  if (result && typeof result === "object" && "ok" in result && result.ok === false) {
    const text = "message" in result && typeof result.message === "string" ? result.message : "The change could not be made.";
    return failed(text);
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
  const { message, list, canModerate, canPlace, startsThread } = loaded;
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
      {canModerate ? (
        <ArchiveModeration
          hidden={message.hidden}
          error={actionData?.error}
          placement={canPlace ? { startsThread, feedback: actionData?.placement ?? null } : null}
        />
      ) : null}
    </div>
  );
}
