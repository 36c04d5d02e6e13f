import type { MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { PolicyDocument } from "~/components/policy-document";
import { listPolicyVersions, currentPolicy } from "~/privacy/versions.server";
import { useOptionalUser } from "~/root";
import { notFound } from "~/utils/http";

export const meta: MetaFunction = () => [
  { title: "Privacy · Threadline" },
  { name: "description", content: "What Threadline does with your data, and what it promises not to do." },
];

export async function loader() {
  const [current, versions] = await Promise.all([currentPolicy(), listPolicyVersions()]);
  if (!current) notFound("The privacy policy has not been set up yet: run npm run setup.");
  return {
    version: { number: current.number, html: current.html, summary: current.summary, changesDataUse: current.changesDataUse, publishedAt: current.publishedAt.toISOString() },
    versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })),
  };
}

export default function Privacy() {
  const { version, versions } = useLoaderData<typeof loader>();
  const user = useOptionalUser();
  const seen = useFetcher();
  const unseen = user?.policyBanner?.number === version.number;
  // Reading the page counts as having seen this version (a POST: the Origin check guards it).
  useEffect(() => {
    if (unseen && seen.state === "idle" && !seen.data) seen.submit({ version: String(version.number) }, { method: "post", action: "/privacy/seen" });
  }, [unseen, seen, version.number]);
  return (
    <div className="space-y-6">
      {user && version.changesDataUse ? (
        <p className="mx-auto max-w-3xl rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          Version {version.number} changes how personal data is used. <a href="/privacy/consent">Accept or decline it</a>; nothing changes for you unless you agree.
        </p>
      ) : null}
      <PolicyDocument version={version} currentNumber={version.number} versions={versions} />
    </div>
  );
}
