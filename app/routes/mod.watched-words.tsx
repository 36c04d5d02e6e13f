import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { WATCHED_ACTIONS, isWatchedAction, PATTERN_MAX, REPEAT_MAX } from "~/antispam/watched-words";
import { addWatchedWord, changeWatchedWord, listWatchedWords, removeWatchedWord } from "~/antispam/watched-words.server";
import { Field, FormErrors } from "~/components/field";
import { requireModerator } from "~/utils/auth/guards.server";
import { failure, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Watched words · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

const action_ = z.string().refine(isWatchedAction, "Choose what the word does.");
const Schemas = {
  add: z.object({
    pattern: z.string({ required_error: "Give a word or pattern." }).trim().min(1, "Give a word or pattern.").max(PATTERN_MAX, `Keep it under ${PATTERN_MAX} characters.`),
    kind: z.enum(["word", "regex"], { errorMap: () => ({ message: "Choose word or pattern." }) }),
    wordAction: action_,
  }),
  change: z.object({ id: z.coerce.number().int().positive(), wordAction: action_ }),
  remove: z.object({ id: z.coerce.number().int().positive() }),
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  return { words: await listWatchedWords() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent !== "add" && intent !== "change" && intent !== "remove") return data({ ...failure(formData, {}, ["Unknown action."]), intent: "unknown" }, { status: 400 });
  const parsed = parseForm(Schemas[intent], formData);
  if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 });
  const input = parsed.data as { pattern?: string; kind?: "word" | "regex"; wordAction?: string; id?: number };
  const result =
    intent === "add"
      ? await addWatchedWord(moderator, { pattern: input.pattern!, isRegex: input.kind === "regex", action: input.wordAction as never })
      : intent === "change"
        ? await changeWatchedWord(moderator, input.id!, input.wordAction as never)
        : await removeWatchedWord(moderator, input.id!);
  if (!result.ok) return data({ ...failure(formData, { [result.field]: [result.message] }, result.field === "id" ? [result.message] : []), intent }, { status: result.status });
  const done = { add: "Added.", change: "Changed.", remove: "Removed." }[intent];
  return { ok: true as const, intent, message: done };
}

export default function WatchedWords() {
  const { words } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  const addFailed = failed?.intent === "add" ? failed : undefined;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <p className="text-sm"><a href="/mod">Moderation</a> ›</p>
      <h1 className="text-2xl font-semibold">Watched words</h1>
      <p className="text-sm text-slate-600">
        Checked in topic titles, posts (new and edited) and chat messages. A word matches whole words only, in any case (“spam” finds “Spam!” but not
        “spammer”). A pattern is a regular expression of at most {PATTERN_MAX} characters; to keep posting fast, patterns cannot repeat a group that
        repeats or has alternatives, use back-references or lookarounds, or use more than one <code>*</code> or <code>+</code>; <code>*</code> and <code>+</code> match at most {REPEAT_MAX} characters.
      </p>
      <ul className="list-disc pl-5 text-sm text-slate-600">
        {WATCHED_ACTIONS.map((a) => <li key={a.value}><strong>{a.label}</strong>: {a.help}{a.value === "hold" ? " In chat, which cannot wait, it refuses the message like Block." : ""}</li>)}
      </ul>
      {result?.ok ? <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">{result.message}</p> : null}
      {failed && failed.intent !== "add" ? <FormErrors errors={failed.formErrors} /> : null}

      <Form method="post" className="card space-y-3 p-5" aria-label="Add a watched word">
        <h2 className="font-semibold">Add a word or pattern</h2>
        <input type="hidden" name="intent" value="add" />
        <FormErrors errors={addFailed?.formErrors} />
        <Field label="Word or pattern" name="pattern" required maxLength={PATTERN_MAX} defaultValue={addFailed?.values.pattern} errors={addFailed?.fieldErrors.pattern} autoComplete="off" />
        <fieldset className="text-sm">
          <legend className="font-medium">It is</legend>
          <label className="mr-4"><input type="radio" name="kind" value="word" defaultChecked={addFailed?.values.kind !== "regex"} /> a word</label>
          <label><input type="radio" name="kind" value="regex" defaultChecked={addFailed?.values.kind === "regex"} /> a regular expression</label>
        </fieldset>
        <label className="block text-sm">
          <span className="font-medium">What happens</span>
          <select name="wordAction" className="input mt-1" defaultValue={addFailed?.values.wordAction ?? "flag"}>
            {WATCHED_ACTIONS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </select>
        </label>
        <button type="submit" className="btn">Add</button>
      </Form>

      <section aria-labelledby="list-heading" className="card p-5">
        <h2 id="list-heading" className="font-semibold">On the list ({words.length})</h2>
        {words.length === 0 ? <p className="mt-2 text-sm text-slate-600">No watched words yet.</p> : null}
        <ul className="mt-2 divide-y divide-slate-200" aria-label="Watched words">
          {words.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" aria-label={w.pattern}>
              <span>
                <code className="rounded bg-slate-100 px-1">{w.pattern}</code> <span className="text-slate-500">{w.isRegex ? "pattern" : "word"}</span>
              </span>
              <span className="flex items-center gap-2">
                <Form method="post" className="flex items-center gap-1" aria-label={`Change what “${w.pattern}” does`}>
                  <input type="hidden" name="intent" value="change" />
                  <input type="hidden" name="id" value={w.id} />
                  <select name="wordAction" defaultValue={w.action} className="input py-1" aria-label={`What “${w.pattern}” does`}>
                    {WATCHED_ACTIONS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
                  </select>
                  <button type="submit" className="btn-secondary">Change</button>
                </Form>
                <Form method="post" aria-label={`Remove “${w.pattern}”`}>
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="id" value={w.id} />
                  <button type="submit" className="btn-danger">Remove</button>
                </Form>
              </span>
            </li>
          ))}
        </ul>
      </section>
      <p className="text-sm text-slate-500">Every change goes to the <a href="/mod/log?family=watched-word">audit log</a>.</p>
    </div>
  );
}
