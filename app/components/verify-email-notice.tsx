import { Form, useLocation } from "@remix-run/react";
import { useOptionalUser } from "~/root";

/** Shown to logged-in members whose address is not verified yet, on every page but the verification page itself. */
export function VerifyEmailNotice() {
  const user = useOptionalUser();
  const location = useLocation();
  if (!user || user.emailVerified || location.pathname === "/verify-email") return null;
  return (
    <aside aria-label="Email verification" className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
      <p>
        Please confirm your email address, so that we can reach you (to reset your password, for one).
        {user.postingNeedsVerifiedEmail ? " You can post once it is confirmed." : null}
      </p>
      <Form method="post" action="/verify-email">
        <input type="hidden" name="intent" value="resend" />
        <button type="submit" className="btn-secondary">Email me a confirmation link</button>
      </Form>
    </aside>
  );
}
