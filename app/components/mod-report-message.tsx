import { Form } from "@remix-run/react";

export type ReportFeedback = { ok: true; message: string } | { ok: false; message: string; reason?: string } | null | undefined;

/**
 * Members report an archived message or ask for its takedown; moderators see
 * it in the review queue. Visitors are asked to log in first.
 */
export function ReportMessage({ loggedIn, loginHref, feedback }: { loggedIn: boolean; loginHref: string; feedback: ReportFeedback }) {
  if (!loggedIn) {
    return (
      <p className="mt-6 text-sm text-slate-600">
        Something wrong with this message? <a href={loginHref}>Log in to report it or request its takedown</a>.
      </p>
    );
  }
  if (feedback?.ok) {
    return <p role="status" className="mt-6 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">{feedback.message}</p>;
  }
  const error = feedback && !feedback.ok ? feedback : undefined;
  return (
    <details className="mt-6 rounded-md border border-slate-200 bg-white p-4 text-sm" open={Boolean(error)}>
      <summary className="cursor-pointer font-medium">Report / request takedown</summary>
      <Form method="post" className="mt-2 space-y-2">
        <input type="hidden" name="intent" value="report" />
        {error ? <p role="alert" id="report-reason-errors" className="text-red-700">{error.message}</p> : null}
        <label htmlFor="report-reason" className="block text-slate-700">
          What is wrong with this message? If it is about you, say so: moderators can take it down.
        </label>
        <textarea
          id="report-reason"
          name="reason"
          rows={3}
          className="input"
          required
          minLength={3}
          maxLength={500}
          defaultValue={error?.reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "report-reason-errors" : undefined}
        />
        <button type="submit" className="btn-secondary">Send report</button>
      </Form>
    </details>
  );
}
