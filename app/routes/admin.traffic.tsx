import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pageViewsChart, visitorsChart } from "~/traffic/charts.server";
import { parseRange, TRAFFIC_RANGES } from "~/traffic/ranges";
import { trafficReport } from "~/traffic/report.server";
import { SECTION_COLORS, SECTION_LABELS, TRAFFIC_SECTIONS } from "~/traffic/sections";
import { requireUser } from "~/utils/auth/guards.server";
import { getEnv } from "~/utils/env.server";
import { forbidden } from "~/utils/http";
import { canReadTraffic } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Traffic · Admin · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  if (!canReadTraffic(user)) forbidden();
  const range = parseRange(new URL(request.url).searchParams.get("days"));
  const report = await trafficReport(range);
  const env = getEnv();
  return data(
    {
      range,
      ...report,
      viewsSvg: pageViewsChart(report.days),
      visitorsSvg: visitorsChart(report.days),
      recording: env.TRAFFIC_STATS === "on",
      flushSeconds: env.TRAFFIC_FLUSH_SECONDS,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

const number = (value: number) => value.toLocaleString("en");

export default function TrafficPage() {
  const { range, days, totalViews, visitorDays, topPages, topReferrers, viewsSvg, visitorsSvg, recording, flushSeconds } = useLoaderData<typeof loader>();
  const newestFirst = [...days].reverse();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Traffic</h1>
        <p className="mt-1 text-sm text-slate-600">
          Aggregate page views and visitors per day (UTC). {recording ? `New views appear here within ${flushSeconds === 1 ? "a second" : `${flushSeconds} seconds`}.` : "Recording is switched off (TRAFFIC_STATS=off): the figures below stop where it was switched off."}
        </p>
        <nav aria-label="Date range" className="mt-3 flex gap-2 text-sm">
          {TRAFFIC_RANGES.map((option) => (
            <a
              key={option}
              href={`/admin/traffic?days=${option}`}
              aria-current={option === range ? "page" : undefined}
              className={`rounded border px-3 py-1 no-underline ${option === range ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 text-slate-700 hover:bg-slate-100"}`}
            >
              Last {option} days
            </a>
          ))}
        </nav>
        <p className="mt-3 text-sm text-slate-700">
          <strong>{number(totalViews)}</strong> page views · <strong>{number(visitorDays)}</strong> daily visitors (summed over the days) in the last {range} days
        </p>
      </div>

      <section aria-labelledby="views-heading">
        <h2 id="views-heading" className="text-lg font-semibold">Page views</h2>
        <div className="mt-2" dangerouslySetInnerHTML={{ __html: viewsSvg }} />
        <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-label="Sections">
          {TRAFFIC_SECTIONS.map((section) => (
            <li key={section} className="flex items-center gap-1">
              <span aria-hidden className={`inline-block h-3 w-3 rounded-sm ${SECTION_COLORS[section].swatch}`} />
              {SECTION_LABELS[section]}
            </li>
          ))}
        </ul>
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-brand-700">Page views as a table</summary>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Page views per day and section</caption>
              <thead className="text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-3">Day</th>
                  {TRAFFIC_SECTIONS.map((section) => (
                    <th key={section} scope="col" className="py-1 pr-3 text-right">{SECTION_LABELS[section]}</th>
                  ))}
                  <th scope="col" className="py-1 text-right">Total</th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((day) => (
                  <tr key={day.day} className="border-t border-slate-200">
                    <th scope="row" className="py-1 pr-3 font-normal whitespace-nowrap">{day.day}</th>
                    {TRAFFIC_SECTIONS.map((section) => (
                      <td key={section} className="py-1 pr-3 text-right">{number(day.sections[section])}</td>
                    ))}
                    <td className="py-1 text-right font-medium">{number(day.views)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="visitors-heading">
        <h2 id="visitors-heading" className="text-lg font-semibold">Unique visitors</h2>
        <div className="mt-2" dangerouslySetInnerHTML={{ __html: visitorsSvg }} />
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-brand-700">Visitors as a table</summary>
          <table className="mt-2 text-left text-sm">
            <caption className="sr-only">Estimated unique visitors per day</caption>
            <thead className="text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-6">Day</th>
                <th scope="col" className="py-1 text-right">Visitors</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((day) => (
                <tr key={day.day} className="border-t border-slate-200">
                  <th scope="row" className="py-1 pr-6 font-normal">{day.day}</th>
                  <td className="py-1 text-right">{number(day.visitors)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <div className="grid gap-8 md:grid-cols-2">
        <section aria-labelledby="pages-heading">
          <h2 id="pages-heading" className="text-lg font-semibold">Top pages</h2>
          <RankTable caption="Most viewed pages" label="Page" rows={topPages.map((row) => ({ key: row.path, views: row.views, href: row.path.startsWith("/") && !row.path.includes("…") ? row.path : undefined }))} />
        </section>
        <section aria-labelledby="referrers-heading">
          <h2 id="referrers-heading" className="text-lg font-semibold">Referring sites</h2>
          <RankTable caption="Other sites that visitors came from" label="Site" rows={topReferrers.map((row) => ({ key: row.host, views: row.views }))} />
        </section>
      </div>

      <section aria-labelledby="privacy-heading" className="rounded border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
        <h2 id="privacy-heading" className="font-semibold">How these figures are made</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          <li>Only counts per day are stored: views per section, per page and per referring site. No IP address, user agent, cookie or account is stored or logged for them.</li>
          <li>Pages are counted without their query string (it can hold search terms or links&apos; keys), a topic counts as one page, and member profiles and Message-ID links are counted together. Referring sites are host names only.</li>
          <li>Unique visitors are estimated: each view&apos;s address and browser are hashed with a random salt that exists only in the server&apos;s memory and only for the current UTC day. When the day ends, the salt and the hashes are destroyed and only the number remains, so visitors cannot be recognised from one day to the next. A restart starts a new salt, so a day with a restart may count some visitors twice.</li>
          <li>A page view is a page the browser loads (every link on the site loads one). Not counted: crawlers, prefetches, API calls, feeds, downloads, live streams, pages that failed, and pages shown after a form is sent with JavaScript on (a search from the header box, logging in).</li>
        </ul>
      </section>
    </div>
  );
}

function RankTable({ caption, label, rows }: { caption: string; label: string; rows: { key: string; views: number; href?: string }[] }) {
  if (rows.length === 0) return <p className="mt-2 text-sm text-slate-600">Nothing recorded in this range yet.</p>;
  return (
    <table className="mt-2 w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-3">{label}</th>
          <th scope="col" className="py-1 text-right">Views</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-t border-slate-200">
            <td className="py-1 pr-3 break-all">{row.href ? <a href={row.href}>{row.key}</a> : row.key}</td>
            <td className="py-1 text-right">{number(row.views)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
