/** Lists › List › … : plain links, the last crumb is the current page. */
export function ArchiveBreadcrumb({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
      <a href="/lists">Mailing lists</a>
      {items.map((item, i) => (
        <span key={i}>
          {" › "}
          {item.href ? <a href={item.href}>{item.label}</a> : <span aria-current="page">{item.label}</span>}
        </span>
      ))}
    </nav>
  );
}
