import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { diffPolicies } from "~/privacy/diff.server";
import { policyVersion } from "~/privacy/versions.server";
import { notFound } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Privacy policy: what changed in version ${data.number} · Threadline` : "Privacy · Threadline" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const number = /^\d{1,9}$/.test(params.number ?? "") ? Number(params.number) : NaN;
  const [version, previous] = await Promise.all([policyVersion(number), policyVersion(number - 1)]);
  if (!version || !previous) notFound(version ? "Version 1 is the first version: there is nothing to compare it with." : "There is no such version of the privacy policy.");
  const diff = diffPolicies(previous.body, version.body);
  return { number: version.number, summary: version.summary, changesDataUse: version.changesDataUse, publishedAt: version.publishedAt.toISOString(), ...diff };
}

export default function PolicyDiffPage() {
  const { number, summary, changesDataUse, publishedAt, parts, added, removed } = useLoaderData<typeof loader>();
  return (
    <article className="card mx-auto max-w-3xl space-y-4 p-8">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">What changed in version {number}</h1>
        <p className="text-sm text-slate-500">
          Published <Time date={publishedAt} />, compared with version {number - 1}. <a href={`/privacy/v/${number}`}>Read version {number}</a> ·{" "}
          <a href={`/privacy/v/${number - 1}`}>Read version {number - 1}</a>
        </p>
      </header>
      <p>
        <strong>Summary:</strong> {summary}
        {changesDataUse ? <span className="ml-1 text-amber-800">(changes how personal data is used)</span> : null}
      </p>
      <p className="text-sm text-slate-600">
        {added} {added === 1 ? "word" : "words"} added, {removed} removed. Added text is <ins className="underline">underlined</ins>, removed
        text is <del className="line-through">struck through</del>. The text is the policy's source as its author wrote it.
      </p>
      <div className="policy-diff whitespace-pre-wrap rounded-md border border-slate-200 bg-slate-50 p-4 text-sm leading-relaxed text-slate-800">
        {parts.map((part, index) =>
          part.kind === "added" ? (
            <ins key={index}>
              <span className="sr-only">[added: </span>
              {part.text}
              <span className="sr-only">]</span>
            </ins>
          ) : part.kind === "removed" ? (
            <del key={index}>
              <span className="sr-only">[removed: </span>
              {part.text}
              <span className="sr-only">]</span>
            </del>
          ) : (
            <span key={index}>{part.text}</span>
          ),
        )}
      </div>
    </article>
  );
}
