import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/field";
import { Time } from "~/components/time";
import { dataUseVersionsFor, recordConsent } from "~/privacy/consent.server";
import { requireUser } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Your agreement to the privacy policy · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const versions = await dataUseVersionsFor(user.id);
  return { versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const choice = formData.get("choice");
  const version = Number(formData.get("version"));
  if (choice !== "accepted" && choice !== "declined") return data({ ok: false as const, version, formErrors: ["Choose to accept or to decline."] }, { status: 400 });
  const result = await recordConsent(user.id, version, choice);
  if (!result.ok) return data({ ok: false as const, version, formErrors: [result.message] }, { status: 400 });
  return { ok: true as const, version, choice };
}

export default function ConsentPage() {
  const { versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (versions.length === 0) {
    return (
      <div className="card mx-auto max-w-2xl p-8">
        <h1 className="text-2xl font-semibold">Your agreement</h1>
        <p className="mt-3 text-slate-700">No version of the privacy policy asks for your agreement. <a href="/privacy">Read the policy</a>.</p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">A new use of personal data: do you agree?</h1>
        <p className="mt-2 text-slate-700">
          A new use applies to you only if you accept it. Declining changes nothing else: you keep your account and everything in it. You can change your
          answer here at any time; <a href="/settings">your settings</a> list every answer you gave.
        </p>
      </header>
      {actionData && !actionData.ok && !versions.some((v) => v.number === actionData.version) ? <FormErrors errors={actionData.formErrors} /> : null}
      {versions.map((version) => (
        <section key={version.number} aria-labelledby={`consent-${version.number}`} className="card space-y-4 p-6">
          <h2 id={`consent-${version.number}`} className="text-lg font-semibold">
            Version {version.number}, published <Time date={version.publishedAt} />
          </h2>
          <blockquote className="border-l-4 border-slate-300 pl-3 text-slate-800">{version.summary}</blockquote>
          <p className="text-sm">
            <a href={`/privacy/v/${version.number}`}>Read version {version.number}</a> · <a href={`/privacy/v/${version.number}/diff`}>See what changed</a>
          </p>
          {actionData?.ok && actionData.version === version.number ? (
            <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
              {actionData.choice === "accepted" ? "Thank you: you accepted" : "Recorded: you declined"} the change in version {version.number}.
            </p>
          ) : (
            <p className="text-sm text-slate-600">
              Your answer: <strong>{version.answer === "accepted" ? "accepted" : version.answer === "declined" ? "declined" : "not given yet (the new use does not apply to you)"}</strong>
            </p>
          )}
          {actionData && !actionData.ok && actionData.version === version.number ? <FormErrors errors={actionData.formErrors} /> : null}
          <Form method="post" className="flex flex-wrap gap-3">
            <input type="hidden" name="version" value={version.number} />
            <button type="submit" name="choice" value="accepted" className="btn">I accept</button>
            <button type="submit" name="choice" value="declined" className="btn-secondary">I decline</button>
          </Form>
        </section>
      ))}
    </div>
  );
}
