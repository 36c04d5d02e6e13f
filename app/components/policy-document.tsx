import { Time } from "./time";

export type PolicyVersionSummary = { number: number; summary: string; changesDataUse: boolean; publishedAt: string };

type PolicyDocumentProps = {
  version: PolicyVersionSummary & { html: string };
  currentNumber: number;
  versions: PolicyVersionSummary[];
};

/** One version of the privacy policy, with where it stands among the others. */
export function PolicyDocument({ version, currentNumber, versions }: PolicyDocumentProps) {
  const isCurrent = version.number === currentNumber;
  const earlier = versions.filter((v) => v.number !== version.number);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <article className="card space-y-6 p-8 leading-relaxed text-slate-700">
        <header>
          <h1 className="text-2xl font-semibold text-slate-900">Privacy policy</h1>
          <p className="text-sm text-slate-500">
            Version {version.number}, published <Time date={version.publishedAt} />
            {isCurrent ? " (current)" : null}
            {version.number > 1 ? (
              <>
                {" · "}
                <a href={`/privacy/v/${version.number}/diff`}>What changed from version {version.number - 1}</a>
              </>
            ) : null}
          </p>
          {isCurrent ? null : (
            <p role="note" className="mt-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
              This is an earlier version. <a href="/privacy">Read the current version ({currentNumber})</a>.
            </p>
          )}
        </header>
        {/* Rendered and sanitized once on publish (app/privacy/render.server.ts). */}
        <div className="prose-policy" dangerouslySetInnerHTML={{ __html: version.html }} />
        <p className="border-t border-slate-200 pt-4 text-sm">
          A question about your data or this policy? <a href="/privacy/feedback">Ask us</a>.
        </p>
      </article>
      {earlier.length > 0 ? (
        <section aria-labelledby="policy-versions" className="card p-6">
          <h2 id="policy-versions" className="text-lg font-semibold text-slate-900">Other versions</h2>
          <ul className="mt-3 space-y-2 text-sm">
            {earlier.map((v) => (
              <li key={v.number}>
                <a href={`/privacy/v/${v.number}`}>Version {v.number}</a> · <Time date={v.publishedAt} /> · {v.summary}
                {v.changesDataUse ? <span className="ml-1 text-amber-800">(changes how personal data is used)</span> : null}
                {v.number > 1 ? (
                  <>
                    {" · "}
                    <a href={`/privacy/v/${v.number}/diff`}>changes</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
