import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Honeypot, isHoneypotFilled } from "~/components/honeypot";
import { FeedbackSchema, sendFeedback, takeFeedbackSlot } from "~/privacy/feedback.server";
import { FEEDBACK_MESSAGE_MAX } from "~/privacy/limits";
import { failure, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [
  { title: "Ask about privacy · Threadline" },
  { name: "description", content: "Send a question about your data or Threadline's privacy policy." },
];

export function loader({ request }: LoaderFunctionArgs) {
  return { sent: new URL(request.url).searchParams.get("sent") === "1" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  // Bots that fill every field get the same confirmation and send nothing.
  if (isHoneypotFilled(formData)) return redirect("/privacy/feedback?sent=1");
  const parsed = parseForm(FeedbackSchema, formData);
  if (!parsed.ok) {
    // Echoed values are cut at 500 characters; a question may be longer and must not be lost.
    parsed.values.message = String(formData.get("message") ?? "").slice(0, FEEDBACK_MESSAGE_MAX);
    return data(parsed, { status: 400 });
  }
  const slot = takeFeedbackSlot(context.clientKey);
  if (!slot.ok) {
    const minutes = Math.ceil(slot.retryAfterSeconds / 60);
    return data(failure(formData, {}, [`You have sent several questions in the last hour. Please wait ${minutes} ${minutes === 1 ? "minute" : "minutes"} and try again.`]), {
      status: 429,
      headers: { "Retry-After": String(slot.retryAfterSeconds) },
    });
  }
  await sendFeedback(parsed.data, context.auth?.user ?? null);
  return redirect("/privacy/feedback?sent=1");
}

export default function PrivacyFeedbackPage() {
  const { sent } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-semibold">Ask about privacy</h1>
      <p className="mt-1 text-sm text-slate-600">
        A question about your data, this site's <a href="/privacy">privacy policy</a> or a request about your account? Write to us here; you do not need an
        account. Questions about an archived mailing list's data go to the site that hosts the list.
      </p>
      {sent ? (
        <div role="status" className="mt-6 rounded-md border border-green-200 bg-green-50 p-4 text-sm text-green-800">
          <p className="font-semibold">Thank you: your question was sent.</p>
          <p className="mt-1">We answer at the email address you gave. <a href="/privacy/feedback">Ask another question</a> or go <a href="/privacy">back to the privacy policy</a>.</p>
        </div>
      ) : (
        <Form method="post" className="card mt-6 space-y-4 p-6" noValidate>
          <FormErrors errors={errors?.formErrors} />
          <Honeypot />
          <Field label="Your name (optional)" name="name" autoComplete="name" maxLength={100} defaultValue={errors?.values.name} errors={errors?.fieldErrors.name} />
          <Field
            label="Your email address"
            name="email"
            type="email"
            autoComplete="email"
            required
            hint="We use it only to answer you."
            defaultValue={errors?.values.email}
            errors={errors?.fieldErrors.email}
          />
          <div className="space-y-1">
            <label htmlFor="feedback-message" className="block text-sm font-medium text-slate-800">Your question</label>
            <textarea
              id="feedback-message"
              name="message"
              rows={7}
              required
              maxLength={FEEDBACK_MESSAGE_MAX}
              className="input"
              aria-invalid={errors?.fieldErrors.message ? true : undefined}
              aria-describedby={errors?.fieldErrors.message ? "feedback-message-errors" : undefined}
              defaultValue={errors?.values.message}
            />
            {errors?.fieldErrors.message ? (
              <ul id="feedback-message-errors" className="text-sm text-red-700">
                {errors.fieldErrors.message.map((error) => <li key={error}>{error}</li>)}
              </ul>
            ) : null}
          </div>
          <button type="submit" className="btn" disabled={navigation.state === "submitting"}>Send my question</button>
        </Form>
      )}
    </div>
  );
}
