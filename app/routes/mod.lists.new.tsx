import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { createList } from "~/archive/lists.server";
import { ListSettingsForm, listFieldsFromForm, valuesToEcho, type ListFormErrors, type ListFormValues } from "~/components/list-settings-form";
import { requireModerator } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "New list · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  return null;
}

type Failure = { fieldErrors: ListFormErrors; formErrors: string[]; values: ListFormValues; attempt: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const { fields, values } = listFieldsFromForm(await request.formData(), "create");
  // "/mod/lists/new" is this page, so a list called "new" could not be managed from the console.
  const result =
    fields.slug?.trim() === "new"
      ? { ok: false as const, fieldErrors: { slug: ['"new" is reserved in the moderation console: choose another slug.'] }, formErrors: [] }
      : await createList(moderator.id, fields);
  if (!result.ok) {
    return data<Failure>({ fieldErrors: result.fieldErrors, formErrors: result.formErrors, values: valuesToEcho(values, result.fieldErrors), attempt: Date.now() }, { status: 400 });
  }
  throw redirect(`/mod/lists/${result.list.slug}`);
}

export default function NewList() {
  const failure = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          <a href="/mod">Moderation</a> › <a href="/mod/lists">Archived lists</a> ›
        </p>
        <h1 className="text-2xl font-semibold">New list</h1>
        <p className="text-sm text-slate-600">
          The list stays hidden until you publish it from its page, so you can check the settings and the first import first.
        </p>
      </div>
      <ListSettingsForm
        key={failure?.attempt ?? "initial"}
        mode="create"
        values={failure?.values ?? { sourceType: "none", imapTls: "true" }}
        fieldErrors={failure?.fieldErrors}
        formErrors={failure?.formErrors}
      />
    </div>
  );
}
