import { useFetcher } from "@remix-run/react";
import { Honeypot } from "./honeypot";
import { useEffect, useRef, useState } from "react";
import { CHAT_MESSAGE_MAX } from "~/chat/limits";
import { newSubmissionId } from "./chat-live";
import { PersonalDataWarning, type ComposerState } from "./composer";
import { FormErrors } from "./field";
import { PublicNotice } from "./public-notice";

export type ChatSendResult = ComposerState & { ok: boolean; id?: number };
export type ReplyTarget = { id: number; author: string; excerpt: string | null };

/**
 * The chat composer: a plain POST form that also works without JavaScript,
 * with the same safeguards as the forum composer (public notice, first-post
 * acknowledgement, personal-data warning with a deliberate "send anyway").
 * With JavaScript it sends in the background, Enter sends and Shift+Enter
 * starts a new line, and the message arrives through the live stream.
 */
export function ChatComposer(props: {
  slug: string;
  submissionId: string;
  needsAcknowledgement: boolean;
  replyTo: ReplyTarget | null;
  onCancelReply: () => void;
  onSent: (id: number) => void;
  /** What the server answered a submission made without JavaScript. */
  initialState?: ChatSendResult;
}) {
  const fetcher = useFetcher<ChatSendResult>();
  const [body, setBody] = useState(props.initialState?.values?.body ?? "");
  const [submissionId, setSubmissionId] = useState(props.submissionId);
  const [hydrated, setHydrated] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const handled = useRef<ChatSendResult | undefined>(undefined);
  const submitted = useRef<string | null>(null);
  useEffect(() => setHydrated(true), []);

  const result = fetcher.data ?? props.initialState;
  const { onSent, onCancelReply } = props;
  useEffect(() => {
    if (!result || handled.current === result || fetcher.state !== "idle") return;
    handled.current = result;
    if (result.ok && result.id) {
      // Keep anything typed while the message was on its way.
      setBody((current) => (current === submitted.current ? "" : current));
      setSubmissionId(newSubmissionId());
      onCancelReply();
      onSent(result.id);
    }
  }, [result, fetcher.state, onSent, onCancelReply]);

  const failed = result && !result.ok ? result : undefined;
  const errors = failed?.fieldErrors ?? {};
  const personal = failed?.safeguard?.kind === "personal-data" ? failed.safeguard : null;
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form
      ref={form}
      method="post"
      action={`/chat/${props.slug}?index`}
      className="space-y-2"
      aria-label="Send a message"
      id="composer"
      onSubmit={() => {
        submitted.current = body;
      }}
    >
      <input type="hidden" name="submissionId" value={submissionId} />
      <Honeypot />
      {hydrated ? <input type="hidden" name="live" value="1" /> : null}
      {props.replyTo ? (
        <div className="flex items-center justify-between gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-1.5 text-sm text-slate-600">
          <input type="hidden" name="replyTo" value={props.replyTo.id} />
          <span className="min-w-0 truncate">
            Replying to <strong>@{props.replyTo.author}</strong>{props.replyTo.excerpt ? <>: <q>{props.replyTo.excerpt}</q></> : null}
          </span>
          <a href={`/chat/${props.slug}#composer`} className="text-xs" onClick={(event) => {
            event.preventDefault();
            onCancelReply();
          }}>Cancel reply</a>
        </div>
      ) : null}
      <FormErrors errors={failed?.formErrors} />
      {personal ? <PersonalDataWarning findings={personal.findings} fingerprint={personal.fingerprint} noun="message" confirmLabel="Send anyway, I am sure" /> : null}
      <div className="flex items-end gap-2">
        <div className="min-w-0 flex-1">
          <label htmlFor="chat-body" className="sr-only">Message</label>
          <textarea
            id="chat-body"
            name="body"
            rows={2}
            className="input resize-y"
            placeholder="Write a message (Markdown: `code`, **bold**, [links](https://…))"
            required
            maxLength={CHAT_MESSAGE_MAX + 500}
            value={body}
            onChange={(event) => setBody(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                if (body.trim()) form.current?.requestSubmit();
              }
            }}
            aria-invalid={errors.body ? true : undefined}
            aria-describedby={errors.body ? "chat-body-errors" : "chat-body-count"}
          />
        </div>
        <button type="submit" className="btn" disabled={busy}>Send</button>
      </div>
      {errors.body ? <p id="chat-body-errors" className="text-sm text-red-700">{errors.body.join(" ")}</p> : null}
      <p id="chat-body-count" className={`text-xs ${body.length > CHAT_MESSAGE_MAX ? "text-red-700" : "text-slate-500"}`}>
        {body.length.toLocaleString("en")} / {CHAT_MESSAGE_MAX.toLocaleString("en")} characters
      </p>
      {props.needsAcknowledgement ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <label className="flex items-start gap-2">
            <input type="checkbox" name="acknowledgePublic" value="yes" className="mt-1" required defaultChecked={props.initialState?.values?.acknowledgePublic === "yes"} />
            <span>
              I understand that what I post here is <strong>public</strong>: anyone can read it, search engines index it, and
              others may copy and archive it.
            </span>
          </label>
          {errors.acknowledgePublic ? <p className="mt-1 text-red-700">{errors.acknowledgePublic.join(" ")}</p> : null}
        </div>
      ) : null}
      <PublicNotice />
    </fetcher.Form>
  );
}
