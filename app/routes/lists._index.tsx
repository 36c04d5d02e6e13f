import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";

export const meta: MetaFunction = () => [{ title: "Mailing lists · Threadline" }];

export default function Lists() {
  return (
    <ComingSoon title="Mailing-list archives">
      <p>
        Threadline will archive mailing lists that other sites host, so you can read and search them thread by thread.
        Each archived list will name the site that hosts it and link there: those lists and their data belong to their hosts.
      </p>
    </ComingSoon>
  );
}
