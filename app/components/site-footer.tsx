export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-6 text-sm text-slate-500">
        <p>
          Threadline is open-source community software. Posts in public forums and chat rooms are public.
        </p>
        <nav aria-label="Footer">
          <ul className="flex gap-4">
            <li><a href="/privacy">Privacy</a></li>
            <li><a href="/privacy/feedback">Privacy questions</a></li>
            <li><a href="/forums">Forums</a></li>
            <li><a href="/lists">Mailing lists</a></li>
            <li><a href="/announcements">Announcements</a></li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
