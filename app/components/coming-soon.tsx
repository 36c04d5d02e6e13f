import type { ReactNode } from "react";

/** A section that is not built yet says so plainly, rather than faking content. */
export function ComingSoon({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="card mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="mt-3 space-y-3 text-slate-600">{children}</div>
      <p className="mt-3 text-sm font-medium text-slate-500">This section is not available yet.</p>
    </div>
  );
}
