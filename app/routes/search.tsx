import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Search · Threadline" }, { name: "robots", content: "noindex" }];

export default function Search() {
  return (
    <ComingSoon title="Search">
      <p>One search box for forum posts, chat messages and archived mail is on its way.</p>
    </ComingSoon>
  );
}
