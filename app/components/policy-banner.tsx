import { Form, useLocation } from "@remix-run/react";
import { useOptionalUser } from "~/root";

/**
 * Shown to a member on every page until they have seen the newest policy
 * version (visiting /privacy, dismissing this, or answering the consent
 * request marks it). A POST, so the Origin check guards it.
 */
export function PolicyBanner() {
  const user = useOptionalUser();
  const location = useLocation();
  const banner = user?.policyBanner;
  if (!banner) return null;
  return (
    <aside aria-label="Privacy policy update" className="mb-6 rounded-md border border-brand-100 bg-brand-50 p-4 text-sm text-slate-800">
      <p>
        <strong>The privacy policy changed (version {banner.number}).</strong> {banner.summary}
      </p>
      {banner.needsConsent ? (
        <p className="mt-1">It changes how personal data is used; nothing changes for you unless you agree.</p>
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {banner.needsConsent ? (
          <a href="/privacy/consent" className="btn">Review and choose</a>
        ) : (
          <a href="/privacy" className="btn">Read the new policy</a>
        )}
        <a href={`/privacy/v/${banner.number}/diff`}>See what changed</a>
        <Form method="post" action="/privacy/seen" className="ml-auto">
          <input type="hidden" name="version" value={banner.number} />
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <button type="submit" className="btn-secondary">Dismiss</button>
        </Form>
      </div>
    </aside>
  );
}
