import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { Honeypot } from "./honeypot";
import { useEffect, useRef, useState } from "react";
import type { PersonalDataMatch } from "~/content/personal-data";
import { describePersonalData, highlightPersonalData } from "~/content/personal-data";
import { BODY_MAX, TITLE_MAX } from "~/forums/limits";
import { FormErrors } from "./field";
import { PublicNotice } from "./public-notice";

export type ComposerState = {
  fieldErrors?: Record<string, string[] | undefined>;
  formErrors?: string[];
  values?: Record<string, string>;
  safeguard?: { kind: "acknowledge" } | { kind: "personal-data"; findings: { field: string; text: string; matches: PersonalDataMatch[] }[]; fingerprint: string };
};

type ComposerProps = {
  action?: string;
  withTitle?: boolean;
  submitLabel: string;
  submissionId?: string;
  needsAcknowledgement: boolean;
  draftKey?: string;
  defaultTitle?: string;
  defaultBody?: string;
  replyTo?: number | null;
  state?: ComposerState;
  intent?: string;
};

/**
 * The one composer for topics, replies and edits: public notice, the
 * first-post acknowledgement, the personal-data warning with a deliberate
 * "post anyway", live preview and server-side drafts. Works without
 * JavaScript (preview and drafts are extras).
 */
export function Composer(props: ComposerProps) {
  const { state } = props;
  const navigation = useNavigation();
  const [body, setBody] = useState(state?.values?.body ?? props.defaultBody ?? "");
  const [title, setTitle] = useState(state?.values?.title ?? props.defaultTitle ?? "");
  const busy = navigation.state === "submitting";
  const [replyTo, setReplyTo] = useState(props.replyTo ?? null);
  // Text typed before the page's scripts took over is in the fields but not
  // in state; take it over once, or the next render would wipe it.
  const titleField = useRef<HTMLInputElement>(null);
  const bodyField = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (titleField.current) setTitle(titleField.current.value);
    if (bodyField.current) setBody(bodyField.current.value);
  }, []);
  useEffect(() => {
    const onQuote = (event: Event) => {
      const { text, replyTo: number } = (event as CustomEvent<{ text: string; replyTo: number }>).detail;
      setBody((current) => (current.trim() ? `${current.trimEnd()}\n\n${text}` : text));
      setReplyTo(number);
    };
    window.addEventListener("threadline:quote", onQuote);
    return () => window.removeEventListener("threadline:quote", onQuote);
  }, []);
  const errors = state?.fieldErrors ?? {};
  const personal = state?.safeguard?.kind === "personal-data" ? state.safeguard : null;
  return (
    <Form method="post" action={props.action} className="space-y-3" aria-label={props.submitLabel}>
      {props.intent ? <input type="hidden" name="intent" value={props.intent} /> : null}
      {props.submissionId ? <input type="hidden" name="submissionId" value={props.submissionId} /> : null}
      <Honeypot />
      {replyTo ? <input type="hidden" name="replyTo" value={replyTo} /> : null}
      <PublicNotice />
      <FormErrors errors={state?.formErrors} />
      {personal ? <PersonalDataWarning findings={personal.findings} fingerprint={personal.fingerprint} /> : null}
      {props.withTitle ? (
        <div className="space-y-1">
          <label htmlFor="composer-title" className="block text-sm font-medium">Title</label>
          <input
            id="composer-title"
            name="title"
            className="input"
            maxLength={TITLE_MAX}
            required
            ref={titleField}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={errors.title ? "composer-title-errors" : undefined}
          />
          {errors.title ? <p id="composer-title-errors" className="text-sm text-red-700">{errors.title.join(" ")}</p> : null}
        </div>
      ) : null}
      <div className="space-y-1">
        <label htmlFor="composer-body" className="block text-sm font-medium">Message (Markdown)</label>
        <textarea
          id="composer-body"
          name="body"
          rows={8}
          className="input font-mono"
          required
          ref={bodyField}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={errors.body ? "composer-body-errors" : undefined}
        />
        {errors.body ? <p id="composer-body-errors" className="text-sm text-red-700">{errors.body.join(" ")}</p> : null}
        <p className="text-xs text-slate-500">{body.length.toLocaleString("en")} / {BODY_MAX.toLocaleString("en")} characters</p>
      </div>
      {props.needsAcknowledgement ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <label className="flex items-start gap-2">
            <input type="checkbox" name="acknowledgePublic" value="yes" className="mt-1" required defaultChecked={state?.values?.acknowledgePublic === "yes"} />
            <span>
              I understand that what I post here is <strong>public</strong>: anyone can read it, search engines index it, and
              others may copy and archive it.
            </span>
          </label>
          {errors.acknowledgePublic ? <p className="mt-1 text-red-700">{errors.acknowledgePublic.join(" ")}</p> : null}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn" disabled={busy}>{props.submitLabel}</button>
        {props.draftKey ? <DraftSaver draftKey={props.draftKey} title={title} body={body} /> : null}
      </div>
      <Preview body={body} />
    </Form>
  );
}

export function PersonalDataWarning({ findings, fingerprint, noun = "post", confirmLabel = "Post anyway, I am sure" }: {
  findings: { field: string; text: string; matches: PersonalDataMatch[] }[];
  fingerprint: string;
  noun?: string;
  confirmLabel?: string;
}) {
  const all = findings.flatMap((finding) => finding.matches);
  return (
    <div role="alert" className="space-y-2 rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">This {noun} looks like it contains personal data: {describePersonalData(all)}.</p>
      <p>Everything you post is public. Edit the text to remove it, or {noun === "post" ? "post" : "send"} it anyway if you are sure.</p>
      {findings.map((finding) => (
        <pre key={finding.field} className="max-h-48 overflow-auto whitespace-pre-wrap rounded border border-red-200 bg-white p-2 font-mono text-xs text-slate-800">
          {highlightPersonalData(finding.text, finding.matches).map((segment, index) =>
            segment.match ? (
              <mark key={index} className="rounded bg-red-200 px-0.5 text-red-950" title={segment.match.kind}>{segment.text}</mark>
            ) : (
              <span key={index}>{segment.text}</span>
            ),
          )}
        </pre>
      ))}
      <button type="submit" name="confirmPersonalData" value={fingerprint} className="btn-danger">
        {confirmLabel}
      </button>
    </div>
  );
}

function Preview({ body }: { body: string }) {
  const fetcher = useFetcher<{ html: string }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const submit = fetcher.submit;
  useEffect(() => {
    if (!body.trim()) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => submit({ body }, { method: "post", action: "/api/preview" }), 400);
    return () => clearTimeout(timer.current);
  }, [body, submit]);
  if (!body.trim() || !fetcher.data) return null;
  return (
    <section aria-label="Preview" className="rounded-md border border-dashed border-slate-300 bg-white p-4">
      <p className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Preview</p>
      {/* Rendered and sanitized by the server, exactly as it will be stored. */}
      <div className="prose-post" dangerouslySetInnerHTML={{ __html: fetcher.data.html }} />
    </section>
  );
}

function DraftSaver({ draftKey, title, body }: { draftKey: string; title: string; body: string }) {
  const fetcher = useFetcher<{ savedAt: string }>();
  const submit = fetcher.submit;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => submit({ key: draftKey, title, body }, { method: "post", action: "/drafts" }), 1500);
    return () => clearTimeout(timer);
  }, [draftKey, title, body, submit]);
  if (fetcher.state !== "idle") return <span className="text-xs text-slate-500">Saving draft…</span>;
  return fetcher.data ? <span className="text-xs text-slate-500" role="status">Draft saved</span> : null;
}
