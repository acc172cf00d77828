"use client";
// The sign-in form: an address, and a link mailed to it (with the vote and the page to return to).
import { EmailForm } from "@/components/email-form";
import { signInAction } from "@/lib/auth/actions";

export function SignInForm({ votePaperId, nextPath }: { votePaperId?: string; nextPath?: string }) {
  return <EmailForm action={signInAction} submitLabel="Email me a link" pendingLabel="Sending…" hidden={{ vote: votePaperId, next: nextPath }} />;
}
