import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { editList, showList } from "~/archive/lists.server";
import { ListSettingsForm, listFieldsFromForm, valuesToEcho, type ListFormErrors, type ListFormValues } from "~/components/list-settings-form";
import { requireModerator } from "~/utils/auth/guards.server";
import { notFound } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `Edit ${loaded?.name ?? "list"} · Moderation · Threadline` },
  { name: "robots", content: "noindex" },
];

function asFormValues(settings: Record<string, string | boolean | null | undefined>): ListFormValues {
  const values: ListFormValues = {};
  for (const [key, value] of Object.entries(settings)) values[key] = value === null || value === undefined ? "" : String(value);
  return values;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const overview = await showList(params.slug ?? "");
  if (!overview) notFound("There is no archived list with this slug.");
  return { name: overview.list.name, values: asFormValues(overview.settings), passwordEnvSet: overview.passwordEnvSet };
}

type Failure = { fieldErrors: ListFormErrors; formErrors: string[]; values: ListFormValues; attempt: number };

export async function action({ params, request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const slug = params.slug ?? "";
  const { fields, values } = listFieldsFromForm(await request.formData(), "edit");
  const result = await editList(moderator.id, slug, fields);
  if (!result.ok) {
    if (result.notFound) notFound(result.formErrors[0]);
    return data<Failure>({ fieldErrors: result.fieldErrors, formErrors: result.formErrors, values: valuesToEcho({ ...values, slug }, result.fieldErrors), attempt: Date.now() }, { status: 400 });
  }
  throw redirect(`/mod/lists/${result.list.slug}`);
}

export default function EditList() {
  const loaded = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          <a href="/mod">Moderation</a> › <a href="/mod/lists">Archived lists</a> › <a href={`/mod/lists/${loaded.values.slug}`}>{loaded.name}</a> ›
        </p>
        <h1 className="text-2xl font-semibold">Edit {loaded.name}</h1>
        <p className="text-sm text-slate-600">
          Moving an IMAP source to another server, account or mailbox makes the next sync start from the beginning (messages already archived are recognised and skipped).
        </p>
      </div>
      <ListSettingsForm
        key={failure?.attempt ?? "initial"}
        mode="edit"
        values={failure ? { ...loaded.values, ...failure.values } : loaded.values}
        fieldErrors={failure?.fieldErrors}
        formErrors={failure?.formErrors}
        passwordEnvSet={loaded.passwordEnvSet}
      />
    </div>
  );
}
