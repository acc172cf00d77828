// The signed-in person: who they are, their digest (and the way to "Your digest"), how many browsers
// are signed in, and the ways to sign out.
import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/components/sign-in-form";
import { signOutAction, signOutEverywhereAction } from "@/lib/auth/actions";
import { currentPerson } from "@/lib/auth/current";
import { countSessions } from "@/lib/auth/sessions";
import { describePreferences } from "@/lib/subscriptions/preferences";
import { subscriptionOf } from "@/lib/subscriptions/subscribe";

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
  const [sessions, subscription] = await Promise.all([countSessions(person.personId), subscriptionOf(person)]);
  const subscribed = subscription?.status === "confirmed";
  return (
    <div className="narrow-page">
      <h1 className="page-title">Your account</h1>
      <p className="lead">
        Signed in as <strong>{person.email}</strong>
        {sessions > 1 ? ` on ${sessions} browsers` : ""}.
      </p>
      <section className="digest-card account-digest" aria-labelledby="account-digest-title">
        <h2 id="account-digest-title" className="digest-card-title">
          Your digest
        </h2>
        <p>
          {subscribed && subscription
            ? subscription.preferences.cadence === "paused"
              ? "Subscribed, paused for now."
              : `Subscribed: ${describePreferences(subscription.preferences)}.`
            : subscription?.status === "pending"
              ? "Waiting for you to confirm the link we mailed you."
              : "Not subscribed."}
        </p>
        <p className="account-digest-links">
          <Link className="button" href="/account/digest">
            {subscribed ? "Change your digest" : "Set up your digest"}
          </Link>
          {!subscribed && <span className="muted">Topics, keywords, authors and when it comes.</span>}
        </p>
      </section>
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
