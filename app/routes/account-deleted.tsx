import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Account deleted · Threadline" }, { name: "robots", content: "noindex" }];

// Where a member lands after deleting their account (they are logged out by then).
export default function AccountDeleted() {
  return (
    <div className="card mx-auto max-w-xl space-y-3 p-8">
      <h1 className="text-2xl font-semibold">Your account was deleted</h1>
      <p className="text-sm text-slate-600">
        Your sessions, email address, password and settings are gone, and you are logged out on every browser. Search
        results no longer show your name. Thank you for the time you spent here.
      </p>
      <p className="text-sm">
        <a href="/">Back to the home page</a>
      </p>
    </div>
  );
}
