import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Chat · Threadline" }];

export default function Chat() {
  return (
    <ComingSoon title="Chat rooms">
      <p>Public chat rooms with live updates and searchable history will appear here.</p>
    </ComingSoon>
  );
}
