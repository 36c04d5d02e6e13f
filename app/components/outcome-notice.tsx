/** The answer to a one-step form (confirm, unsubscribe, verify): green when it worked, red when not. */
export function OutcomeNotice({ outcome }: { outcome: { ok: boolean; message: string } }) {
  return (
    <p
      role={outcome.ok ? "status" : "alert"}
      className={`mt-4 rounded-md border p-3 text-sm ${outcome.ok ? "border-green-200 bg-green-50 text-green-800" : "border-red-200 bg-red-50 text-red-800"}`}
    >
      {outcome.message}
    </p>
  );
}
