/** Shown on every composer: who will see the post, and what withdrawing it can and cannot do. */
export function PublicNotice() {
  return (
    <p className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-900" data-testid="public-notice">
      <strong>Public post.</strong> Anyone on the web can read it, and so can search engines, Threadline's search and its feeds.
      Editing or deleting it later hides it here, but copies may already exist elsewhere.
    </p>
  );
}
