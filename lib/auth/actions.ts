"use server";
// Server actions behind the sign-in form and the account page (they work without JavaScript too).
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { currentPerson } from "./current";
import { revokeAllSessions, revokeSession, SESSION_COOKIE } from "./sessions";
import { requestSignIn, SIGN_IN_MAIL_FAILED, signInCheckInbox } from "./sign-in";

export type SignInFormState = { status: "idle" | "ok" | "error"; message: string; email: string };

const formSchema = z.object({
  email: z.string().max(1_000, "That email address is too long."),
  vote: z.string().max(200).optional(),
  next: z.string().max(500).optional(),
});

export async function signInAction(_previous: SignInFormState, form: FormData): Promise<SignInFormState> {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const parsed = formSchema.safeParse({ email: field("email") ?? "", vote: field("vote") || undefined, next: field("next") || undefined });
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Enter an email address.", email: "" };
  const { email, vote, next } = parsed.data;
  try {
    const result = await requestSignIn({ email, ip: clientIp(await headers()), votePaperId: vote, nextPath: next });
    switch (result.status) {
      case "check-inbox":
        return { status: "ok", message: signInCheckInbox(result.email), email: "" };
      case "invalid":
        return { status: "error", message: result.error, email };
      case "limited":
        return { status: "error", message: result.message, email };
      case "mail-failed":
        return { status: "error", message: SIGN_IN_MAIL_FAILED, email };
    }
  } catch (error) {
    console.error("sign-in:", error);
    return { status: "error", message: "Something went wrong on our side; please try again in a moment.", email };
  }
}

/** Signs this browser out. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  await revokeSession(jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  redirect("/account?signed-out=1");
}

/** Signs the person out of every browser, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const person = await currentPerson();
  if (person) await revokeAllSessions(person.personId);
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/account?signed-out=all");
}
