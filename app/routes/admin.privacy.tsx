import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef, type FormEvent } from "react";
import { FormErrors } from "~/components/field";
import { Time } from "~/components/time";
import { POLICY_BODY_MAX, POLICY_SUMMARY_MAX } from "~/privacy/limits";
import { renderPolicy } from "~/privacy/render.server";
import { PublishSchema, currentPolicy, discardDraft, listPolicyVersions, policyDraft, publishPolicy, saveDraft } from "~/privacy/versions.server";
import { requireUser } from "~/utils/auth/guards.server";
import { failure, parseForm } from "~/utils/forms";
import { forbidden } from "~/utils/http";
import { canEditPrivacyPolicy } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Privacy policy · Admin · Threadline" }, { name: "robots", content: "noindex" }];

function requirePolicyEditor(request: Request, context: LoaderFunctionArgs["context"]) {
  const user = requireUser(request, context);
  if (!canEditPrivacyPolicy(user)) forbidden();
  return user;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePolicyEditor(request, context);
  const [current, draft, versions] = await Promise.all([currentPolicy(), policyDraft(), listPolicyVersions()]);
  const published = new URL(request.url).searchParams.get("published");
  return data(
    {
      current: current ? { number: current.number, body: current.body } : null,
      draft: draft ? { body: draft.body, updatedAt: draft.updatedAt.toISOString() } : null,
      versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })),
      published: published && /^\d+$/.test(published) ? Number(published) : null,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requirePolicyEditor(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const body = String(formData.get("body") ?? "").slice(0, POLICY_BODY_MAX + 1);
  // The editor's text may be long: echo it whole, not cut like other fields.
  const keep = (values: Record<string, string>): Record<string, string> => ({ ...values, body });
  if (intent === "preview") {
    return { ok: true as const, intent, preview: renderPolicy(body.slice(0, POLICY_BODY_MAX)), values: keep({ summary: String(formData.get("summary") ?? "") }), dataUse: formData.get("changesDataUse") === "on" };
  }
  if (intent === "save-draft") {
    await saveDraft(admin.id, body);
    return { ok: true as const, intent, preview: null, values: keep({ summary: String(formData.get("summary") ?? "") }), dataUse: formData.get("changesDataUse") === "on" };
  }
  if (intent === "discard-draft") {
    await discardDraft();
    return redirect("/admin/privacy");
  }
  if (intent !== "publish") return data({ ...failure(formData, {}, ["Unknown action."]), values: keep({}) }, { status: 400 });
  const parsed = parseForm(PublishSchema, formData);
  if (!parsed.ok) return data({ ...parsed, values: keep(parsed.values) }, { status: 400 });
  const result = await publishPolicy(admin.id, parsed.data);
  if (!result.ok) return data({ ...failure(formData, result.fieldErrors, result.formErrors), values: keep(failure(formData, {}).values) }, { status: 400 });
  return redirect(`/admin/privacy?published=${result.number}`);
}

// A live preview changes nothing: no need to reload the page's data after it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

export default function AdminPrivacyPage() {
  const { current, draft, versions, published } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const failed = actionData && !actionData.ok ? actionData : undefined;
  const values = actionData?.values;
  const body = values?.body ?? draft?.body ?? current?.body ?? "";
  // With scripts, the preview follows the text as it is typed; without, the Preview button renders it.
  const live = useFetcher<typeof action>();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const onType = (event: FormEvent<HTMLTextAreaElement>) => {
    const text = event.currentTarget.value;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => live.submit({ intent: "preview", body: text }, { method: "post" }), 400);
  };
  const livePreview = live.data?.ok ? live.data.preview : null;
  const preview = livePreview ?? (actionData?.ok ? actionData.preview : null);
  const next = (current?.number ?? 0) + 1;
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Privacy policy</h1>
        <p className="mt-1 text-sm text-slate-600">
          Write version {next} in Markdown: each <code>##</code> heading starts a section. Publishing announces it on the home page for 30 days and shows members
          a banner until they have read it. <a href="/privacy">Current version ({current?.number ?? "none"})</a>
        </p>
      </header>
      {published ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          Version {published} is published. <a href={`/privacy/v/${published}/diff`}>See what changed</a>.
        </p>
      ) : null}
      {actionData?.ok && actionData.intent === "save-draft" ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">The draft was saved.</p>
      ) : null}
      <Form method="post" className="card space-y-4 p-6" noValidate>
        <FormErrors errors={failed?.formErrors} />
        <div className="space-y-1">
          <label htmlFor="policy-body" className="block text-sm font-medium text-slate-800">Policy text (Markdown)</label>
          <textarea
            id="policy-body"
            name="body"
            rows={20}
            className="input font-mono text-sm"
            maxLength={POLICY_BODY_MAX}
            defaultValue={body}
            key={body}
            onInput={onType}
            aria-invalid={failed?.fieldErrors.body ? true : undefined}
            aria-describedby={failed?.fieldErrors.body ? "policy-body-errors" : "policy-body-hint"}
          />
          <p id="policy-body-hint" className="text-xs text-slate-500">
            {draft ? <>Draft saved <Time date={draft.updatedAt} withTime />. </> : null}Drafts are shared by all admins and are not public.
          </p>
          {failed?.fieldErrors.body ? (
            <ul id="policy-body-errors" className="text-sm text-red-700">{failed.fieldErrors.body.map((e) => <li key={e}>{e}</li>)}</ul>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="preview" className="btn-secondary">Preview</button>
          <button type="submit" name="intent" value="save-draft" className="btn-secondary">Save draft</button>
          {draft ? <button type="submit" name="intent" value="discard-draft" className="btn-secondary">Discard draft</button> : null}
        </div>
        {preview !== null && preview !== undefined ? (
          <section aria-label="Preview" className="rounded-md border border-dashed border-slate-300 p-4">
            <p className="mb-2 text-xs font-semibold uppercase text-slate-500">Preview</p>
            <div className="prose-policy" dangerouslySetInnerHTML={{ __html: preview }} />
          </section>
        ) : null}
        <fieldset className="space-y-3 border-t border-slate-200 pt-4">
          <legend className="pt-4 text-lg font-semibold">Publish version {next}</legend>
          <div className="space-y-1">
            <label htmlFor="policy-summary" className="block text-sm font-medium text-slate-800">Summary of changes</label>
            <input
              id="policy-summary"
              name="summary"
              className="input"
              maxLength={POLICY_SUMMARY_MAX}
              defaultValue={values?.summary ?? ""}
              aria-invalid={failed?.fieldErrors.summary ? true : undefined}
              aria-describedby={failed?.fieldErrors.summary ? "policy-summary-errors" : "policy-summary-hint"}
            />
            <p id="policy-summary-hint" className="text-xs text-slate-500">One line, shown in the home-page notice, the member banner and the version list.</p>
            {failed?.fieldErrors.summary ? (
              <ul id="policy-summary-errors" className="text-sm text-red-700">{failed.fieldErrors.summary.map((e) => <li key={e}>{e}</li>)}</ul>
            ) : null}
          </div>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="changesDataUse" className="mt-1" defaultChecked={actionData?.ok ? actionData.dataUse : values?.changesDataUse === "on"} />
            <span>
              This version changes how personal data is used. Every member is emailed and asked to accept or decline; the new use applies only to members who
              accept.
            </span>
          </label>
          <button type="submit" name="intent" value="publish" className="btn" disabled={navigation.state === "submitting"}>Publish version {next}</button>
        </fieldset>
      </Form>
      <section aria-labelledby="published-versions" className="card p-6">
        <h2 id="published-versions" className="text-lg font-semibold">Published versions</h2>
        <ul className="mt-3 space-y-2 text-sm">
          {versions.map((v) => (
            <li key={v.number}>
              <a href={`/privacy/v/${v.number}`}>Version {v.number}</a> · <Time date={v.publishedAt} /> · {v.summary}
              {v.changesDataUse ? <span className="ml-1 text-amber-800">(changes how personal data is used)</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
