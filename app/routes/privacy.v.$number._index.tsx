import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PolicyDocument } from "~/components/policy-document";
import { currentPolicy, listPolicyVersions, policyVersion } from "~/privacy/versions.server";
import { notFound } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Privacy policy, version ${data.version.number} · Threadline` : "Privacy · Threadline" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const number = /^\d{1,9}$/.test(params.number ?? "") ? Number(params.number) : NaN;
  const [version, current, versions] = await Promise.all([policyVersion(number), currentPolicy(), listPolicyVersions()]);
  if (!version || !current) notFound("There is no such version of the privacy policy.");
  return {
    version: { number: version.number, html: version.html, summary: version.summary, changesDataUse: version.changesDataUse, publishedAt: version.publishedAt.toISOString() },
    currentNumber: current.number,
    versions: versions.map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })),
  };
}

export default function PolicyVersionPage() {
  const { version, currentNumber, versions } = useLoaderData<typeof loader>();
  return <PolicyDocument version={version} currentNumber={currentNumber} versions={versions} />;
}
