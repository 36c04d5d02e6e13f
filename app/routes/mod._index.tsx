import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";
import { requireModerator } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  return null;
}

export default function Moderation() {
  return (
    <ComingSoon title="Moderation">
      <p>The review queue, audit log and list curation tools will live here, for moderators only.</p>
    </ComingSoon>
  );
}
