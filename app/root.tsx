import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { PolicyBanner } from "./components/policy-banner";
import { SiteFooter } from "./components/site-footer";
import { unreadNotificationCount } from "./forums/reading.server";
import { SiteHeader } from "./components/site-header";
import { VerifyEmailNotice } from "./components/verify-email-notice";
import { policyBannerFor } from "./privacy/seen.server";
import { db } from "./utils/db.server";
import { getEnv } from "./utils/env.server";
import styles from "./tailwind.css?url";
import { useNonce } from "./utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Threadline" },
  { name: "description", content: "Forums, chat rooms and mailing-list archives for developer communities." },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.auth?.user ?? null;
  if (!user) return { user: null };
  const [unreadNotifications, account, policyBanner, boardsModerated] = await Promise.all([
    unreadNotificationCount(user.id),
    db.user.findUnique({ where: { id: user.id }, select: { emailVerifiedAt: true } }),
    policyBannerFor(user.id),
    // Board moderators get the Moderation link too (their /mod shows their boards only).
    db.boardModerator.count({ where: { userId: user.id } }),
  ]);
  return {
    user: {
      id: user.id,
      username: user.username,
      role: user.role,
      unreadNotifications,
      emailVerified: Boolean(account?.emailVerifiedAt),
      moderatesBoards: boardsModerated > 0,
      postingNeedsVerifiedEmail: getEnv().REQUIRE_VERIFIED_EMAIL === "true",
      policyBanner,
    },
  };
}

export type RootUser = Awaited<ReturnType<typeof loader>>["user"];

/** The logged-in member from the root loader, for any component. */
export function useOptionalUser(): RootUser {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
          <VerifyEmailNotice />
          <PolicyBanner />
          {children}
        </main>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "An unexpected error happened on our side. Please try again in a moment.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) title = "Page not found";
    else if (error.status === 403) title = "Not allowed";
    else if (error.status === 410) title = "Gone";
    else title = `${error.status} ${error.statusText}`;
    message = typeof error.data === "string" && error.data ? error.data : message;
  }
  return (
    <div className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-3 text-slate-600">{message}</p>
      <p className="mt-6">
        <a href="/" className="btn">Back to the home page</a>
      </p>
    </div>
  );
}
