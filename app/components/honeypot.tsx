// A field people never see or fill in, and simple bots do. It is hidden with
// a class, not an inline style, because the CSP forbids inline styles.
const HONEYPOT_FIELD = "website";

export function Honeypot() {
  return (
    <div className="absolute -left-[9999px] h-px w-px overflow-hidden" aria-hidden>
      <label htmlFor="hp-website">Leave this field empty</label>
      <input id="hp-website" name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

export function isHoneypotFilled(formData: FormData): boolean {
  const value = formData.get(HONEYPOT_FIELD);
  return typeof value === "string" && value.length > 0;
}
