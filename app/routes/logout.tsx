import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/utils/auth/start-session.server";

// Logging out changes state, so it is a POST only; a GET just goes home.
export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  const cookie = await endSession(context);
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}
