import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [
  { title: "Privacy · Threadline" },
  { name: "description", content: "What Threadline does with your data, and what it promises not to do." },
];

// Version 1 of the policy. Later versions will be edited and published by
// admins, with earlier versions kept readable.
export default function Privacy() {
  return (
    <article className="card mx-auto max-w-3xl space-y-6 p-8 leading-relaxed text-slate-700">
      <header>
        <h1 className="text-2xl font-semibold text-slate-900">Privacy policy</h1>
        <p className="text-sm text-slate-500">Version 1</p>
      </header>
      <section>
        <h2 className="text-lg font-semibold text-slate-900">Public forums are public</h2>
        <p>
          Anything you post in a forum or chat room can be read by anyone on the web, indexed by search engines,
          copied and archived by others. Editing or deleting a post hides it here, but copies may already exist
          elsewhere. Please do not post personal information such as email addresses, phone numbers or card numbers;
          Threadline warns you before you do.
        </p>
      </section>
      <section>
        <h2 className="text-lg font-semibold text-slate-900">Archived mailing lists belong to their hosts</h2>
        <p>
          The mailing-list archives on Threadline are copies of lists that other sites host. Threadline does not own or
          control their data. Every archive page names the hosting site and links to it; questions about a list's data
          practices go to that site.
        </p>
      </section>
      <section id="cookies">
        <h2 className="text-lg font-semibold text-slate-900">Cookies</h2>
        <p>
          Reading Threadline sets no cookies at all. When you log in, we set one cookie that keeps you logged in; it
          holds a random token, not your name or email. If you refuse cookies, you can still read everything; you just
          cannot log in.
        </p>
      </section>
      <section>
        <h2 className="text-lg font-semibold text-slate-900">What we keep</h2>
        <ul className="list-disc space-y-1 pl-6">
          <li>Your username, your email address (never shown to others) and a one-way hash of your password.</li>
          <li>
            For each logged-in browser: when it logged in, when it was last used and a coarse description such as
            “Firefox on Linux”, so you can review and end your sessions.
          </li>
          <li>What you post, and when.</li>
        </ul>
        <p className="mt-2">
          Our logs record which pages were requested and how the server answered. They contain no IP addresses, email
          addresses or session tokens.
        </p>
      </section>
      <section>
        <h2 className="text-lg font-semibold text-slate-900">No third parties</h2>
        <p>
          Threadline pages load nothing from other sites: no analytics, no advertising, no third-party fonts or scripts.
          Links to other sites are marked; their practices are their own.
        </p>
      </section>
      <section>
        <h2 className="text-lg font-semibold text-slate-900">Changes to this policy</h2>
        <p>
          When this policy changes, the change is announced on the home page. If we ever want to use personal data in a
          new way, we will email members and ask for their agreement first.
        </p>
      </section>
    </article>
  );
}
