// The signed-in person: who they are, how many browsers are signed in, and the ways to sign out.
import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/components/sign-in-form";
import { signOutAction, signOutEverywhereAction } from "@/lib/auth/actions";
import { currentPerson } from "@/lib/auth/current";
import { countSessions } from "@/lib/auth/sessions";
import { subscriptionStatus } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account", robots: { index: false } };

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { "signed-out": signedOut } = await searchParams;
  const person = await currentPerson();
  if (!person) {
    return (
      <div className="narrow-page">
        <h1 className="page-title">{signedOut ? "You are signed out" : "Sign in"}</h1>
        <p className="lead">
          {signedOut === "all" ? "Every browser that was signed in with your address is signed out. " : signedOut ? "This browser is signed out. " : ""}
          Enter your address to get a sign-in link.
        </p>
        <SignInForm nextPath="/account" />
      </div>
    );
  }
  const [sessions, subscription] = await Promise.all([countSessions(person.personId), subscriptionStatus(person.email)]);
  return (
    <div className="narrow-page">
      <h1 className="page-title">Your account</h1>
      <p className="lead">
        Signed in as <strong>{person.email}</strong>
        {sessions > 1 ? ` on ${sessions} browsers` : ""}.
      </p>
      <p>
        Daily digest:{" "}
        {subscription === "confirmed" ? (
          "subscribed (every digest has a one-click unsubscribe link)"
        ) : (
          <>
            not subscribed. <Link href="/subscribe">Subscribe</Link>
          </>
        )}
      </p>
      <div className="account-actions">
        <form action={signOutAction}>
          <button className="button" type="submit">
            Sign out
          </button>
        </form>
        <form action={signOutEverywhereAction}>
          <button className="button" type="submit">
            Sign out everywhere
          </button>
        </form>
      </div>
    </div>
  );
}
