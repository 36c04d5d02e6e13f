import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getAntispamSettings, saveAntispamSettings } from "~/antispam/settings.server";
import { Field, FormErrors } from "~/components/field";
import { requireModerator } from "~/utils/auth/guards.server";
import { parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Anti-spam settings · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

const count = (label: string) =>
  z.coerce
    .number({ invalid_type_error: `${label}: give a whole number.` })
    .int(`${label}: give a whole number.`)
    .min(0, `${label}: 0 or more.`)
    .max(1000, `${label}: at most 1000.`);

const SettingsSchema = z.object({
  holdLinksBelow: count("Posts with links"),
  holdAllBelow: count("All posts"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const settings = await getAntispamSettings();
  return { ...settings, savedAt: settings.savedAt?.toISOString() ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const parsed = parseForm(SettingsSchema, await request.formData());
  if (!parsed.ok) return data(parsed, { status: 400 });
  await saveAntispamSettings(moderator, parsed.data);
  return { ok: true as const, message: "Saved. New posts follow these thresholds from now on." };
}

export default function AntispamSettingsPage() {
  const settings = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm"><a href="/mod">Moderation</a> ›</p>
      <h1 className="text-2xl font-semibold">Anti-spam settings</h1>
      <p className="text-sm text-slate-600">
        A new member&apos;s posts can wait for a moderator&apos;s approval in the <a href="/mod/queue?type=held">review queue</a> until they have
        enough approved posts. Moderators and admins are never held. {settings.savedAt ? "" : "These are the server's defaults; saving makes them the site's setting."}
      </p>
      {result?.ok ? <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">{result.message}</p> : null}
      <Form method="post" className="card space-y-4 p-5" aria-label="Anti-spam settings">
        <FormErrors errors={failed?.formErrors} />
        <Field
          label="Hold posts with links until the member has this many approved posts"
          name="holdLinksBelow"
          type="number"
          min={0}
          max={1000}
          required
          defaultValue={failed?.values.holdLinksBelow ?? settings.holdLinksBelow}
          errors={failed?.fieldErrors.holdLinksBelow}
          hint="1 holds a member's first post if it contains a link; 0 never holds for links."
        />
        <Field
          label="Hold every post until the member has this many approved posts"
          name="holdAllBelow"
          type="number"
          min={0}
          max={1000}
          required
          defaultValue={failed?.values.holdAllBelow ?? settings.holdAllBelow}
          errors={failed?.fieldErrors.holdAllBelow}
          hint="0 lets members post without approval (links aside)."
        />
        <button type="submit" className="btn">Save settings</button>
      </Form>
      <p className="text-sm text-slate-500">
        Changes go to the <a href="/mod/log?family=settings">audit log</a>. Words to block, hold or flag are on the <a href="/mod/watched-words">watched words</a> page.
      </p>
    </div>
  );
}
