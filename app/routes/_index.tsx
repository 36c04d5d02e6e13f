import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { recentTopics } from "~/forums/read.server";
import { recentPolicyChange } from "~/privacy/versions.server";
import { useOptionalUser } from "~/root";

export const meta: MetaFunction = () => [
  { title: "Threadline · forums, chat and mailing-list archives for developers" },
  { name: "description", content: "Discuss, chat and search the mailing lists of developer communities in one place." },
];

export async function loader() {
  const [topics, policyChange] = await Promise.all([recentTopics(), recentPolicyChange()]);
  return {
    topics: topics.map((t) => ({ ...t, bumpedAt: t.bumpedAt.toISOString() })),
    policyChange: policyChange ? { ...policyChange, publishedAt: policyChange.publishedAt.toISOString() } : null,
  };
}

const SECTIONS = [
  { href: "/forums", title: "Forums", text: "Ask questions and share what you build, in boards for each language and tool." },
  { href: "/lists", title: "Mailing-list archives", text: "Read and search the lists that other projects host, thread by thread." },
  { href: "/chat", title: "Chat rooms", text: "Talk in real time, with history that stays searchable." },
];

export default function Home() {
  const { topics, policyChange } = useLoaderData<typeof loader>();
  const user = useOptionalUser();
  return (
    <div className="space-y-10">
      <section className="rounded-xl bg-gradient-to-br from-brand-900 to-brand-700 px-8 py-10 text-white shadow">
        <h1 className="text-3xl font-bold tracking-tight">The programmer's network, rebuilt in the open</h1>
        <p className="mt-3 max-w-2xl text-brand-100">
          Forums, chat rooms and a searchable archive of the mailing lists your community already lives on.
          Read everything without an account; join to post.
        </p>
        {user ? null : (
          <p className="mt-6 flex gap-3">
            <a href="/signup" className="btn bg-white text-brand-900 hover:bg-brand-50">Create an account</a>
            <a href="/forums" className="btn border border-white/40 bg-transparent hover:bg-white/10">Browse the forums</a>
          </p>
        )}
      </section>
      {policyChange ? (
        <section aria-labelledby="policy-change" className="card border-brand-100 bg-brand-50 p-5">
          <h2 id="policy-change" className="font-semibold text-slate-900">
            Privacy policy updated <Time date={policyChange.publishedAt} />
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            Version {policyChange.number}: {policyChange.summary}
            {policyChange.changesDataUse ? " It changes how personal data is used; members are asked to agree first." : null}
          </p>
          <p className="mt-2 text-sm">
            <a href={`/privacy/v/${policyChange.number}`}>Read version {policyChange.number}</a> ·{" "}
            <a href={`/privacy/v/${policyChange.number}/diff`}>See what changed</a>
          </p>
        </section>
      ) : null}
      <section aria-labelledby="sections" className="grid gap-4 md:grid-cols-3">
        <h2 id="sections" className="sr-only">Sections</h2>
        {SECTIONS.map((section) => (
          <a key={section.href} href={section.href} className="card block p-5 no-underline hover:border-brand-600 hover:no-underline">
            <h3 className="font-semibold text-slate-900">{section.title}</h3>
            <p className="mt-1 text-sm text-slate-600">{section.text}</p>
          </a>
        ))}
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent" className="text-lg font-semibold">Recent discussions</h2>
        {topics.length === 0 ? (
          <p className="mt-3 text-slate-600">No discussions yet.</p>
        ) : (
          <ul className="card mt-3 divide-y divide-slate-100">
            {topics.map((topic) => (
              <li key={topic.id} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3">
                <a href={`/t/${topic.id}/${topic.slug}`} className="font-medium">{topic.title}</a>
                <span className="text-sm text-slate-500">
                  in <a href={`/b/${topic.board.slug}`}>{topic.board.name}</a> · {topic.postCount} {topic.postCount === 1 ? "post" : "posts"} · <Time date={topic.bumpedAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
