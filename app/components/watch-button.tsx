import { Form } from "@remix-run/react";

export function WatchButton({ watching, label = "topic" }: { watching: boolean; label?: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={watching ? "unwatch" : "watch"} />
      <button type="submit" className="btn-secondary" aria-pressed={watching}>
        {watching ? `Watching this ${label}` : `Watch this ${label}`}
      </button>
    </Form>
  );
}
