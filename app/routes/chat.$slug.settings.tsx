import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ROOM_DESCRIPTION_MAX, ROOM_NAME_MAX, SLOW_MODE_MAX_SECONDS } from "~/chat/limits";
import { listActiveMutes, unmuteMember } from "~/chat/mutes.server";
import { requireRoom } from "~/chat/room-page.server";
import { setRoomArchived, updateRoom } from "~/chat/rooms.server";
import { RoomSettingsSchema } from "~/chat/schema";
import { Field, FormErrors } from "~/components/field";
import { Time } from "~/components/time";
import { requireModerator } from "~/utils/auth/guards.server";
import { parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Room settings · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const room = await requireRoom(params.slug);
  const mutes = await listActiveMutes(room.id);
  return {
    room: { slug: room.slug, name: room.name, description: room.description, slowModeSeconds: room.slowModeSeconds, archived: Boolean(room.archivedAt) },
    mutes: mutes.map((m) => ({ id: m.id, userId: m.userId, username: m.username, until: m.until.toISOString(), reason: m.reason })),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const room = await requireRoom(params.slug);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "archive" || intent === "unarchive") {
    await setRoomArchived(moderator, room.id, intent === "archive");
    throw redirect(`/chat/${room.slug}/settings`);
  }
  if (intent === "unmute") {
    const userId = Number(formData.get("userId"));
    if (Number.isSafeInteger(userId) && userId > 0) await unmuteMember(moderator, room.id, userId);
    throw redirect(`/chat/${room.slug}/settings`);
  }
  const parsed = parseForm(RoomSettingsSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  await updateRoom(moderator, room.id, parsed.data);
  return { ok: true as const };
}

export default function RoomSettings() {
  const { room, mutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && !actionData.ok ? actionData : undefined;
  const errors = failed?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <a href="/chat">Chat</a> › <a href={`/chat/${room.slug}`}>{room.name}</a>
        </nav>
        <h1 className="mt-1 text-2xl font-semibold">Settings for #{room.slug}</h1>
      </div>
      <Form method="post" className="card space-y-4 p-5" aria-label="Room settings">
        {actionData?.ok ? <p role="status" className="text-sm text-emerald-800">Saved.</p> : null}
        <FormErrors errors={failed?.formErrors} />
        <Field label="Name" name="name" required maxLength={ROOM_NAME_MAX} defaultValue={failed?.values.name ?? room.name} errors={errors.name} />
        <Field label="Description" name="description" maxLength={ROOM_DESCRIPTION_MAX} defaultValue={failed?.values.description ?? room.description} errors={errors.description} />
        <Field
          label="Slow mode (seconds between messages per member; 0 is off)"
          name="slowModeSeconds"
          type="number"
          min={0}
          max={SLOW_MODE_MAX_SECONDS}
          defaultValue={failed?.values.slowModeSeconds ?? String(room.slowModeSeconds)}
          errors={errors.slowModeSeconds}
        />
        <button type="submit" className="btn">Save settings</button>
      </Form>
      <section className="card space-y-2 p-5" aria-labelledby="archive-heading">
        <h2 id="archive-heading" className="font-semibold">{room.archived ? "This room is archived" : "Archive"}</h2>
        <p className="text-sm text-slate-600">An archived room stays readable, with its transcripts, but takes no new messages.</p>
        <Form method="post">
          <input type="hidden" name="intent" value={room.archived ? "unarchive" : "archive"} />
          <button type="submit" className={room.archived ? "btn-secondary" : "btn-danger"}>{room.archived ? "Reopen the room" : "Archive the room"}</button>
        </Form>
      </section>
      <section className="card space-y-2 p-5" aria-labelledby="mutes-heading">
        <h2 id="mutes-heading" className="font-semibold">Muted members</h2>
        {mutes.length === 0 ? <p className="text-sm text-slate-600">Nobody is muted in this room. Mute a member from the menu of one of their messages.</p> : null}
        <ul className="divide-y divide-slate-100">
          {mutes.map((mute) => (
            <li key={mute.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
              <span><strong>{mute.username}</strong> until <Time date={mute.until} withTime /> · {mute.reason}</span>
              <Form method="post">
                <input type="hidden" name="intent" value="unmute" />
                <input type="hidden" name="userId" value={mute.userId} />
                <button type="submit" className="btn-secondary">Unmute</button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
