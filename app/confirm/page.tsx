// The page a mailed link opens: what the link will do, and one button that POSTs to the link's
// own URL. Opening it (a GET, as mail scanners do) changes nothing.
import type { Metadata } from "next";
import Link from "next/link";
import { inspectSignIn } from "@/lib/auth/sign-in";
import { inspectConfirmation } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Confirm", robots: { index: false } };

type Problem = "expired" | "used" | "invalid" | "already-confirmed";

const PROBLEMS: Record<"subscribe" | "signin", Record<Problem, { title: string; body: string; again: { href: string; label: string } }>> = {
  subscribe: {
    "already-confirmed": { title: "You are already subscribed", body: "This link was used before; your subscription is active.", again: { href: "/signin", label: "Sign in" } },
    expired: { title: "This link has expired", body: "Confirmation links work for 48 hours. Subscribe again to get a fresh one.", again: { href: "/subscribe", label: "Subscribe" } },
    used: { title: "This link is no longer valid", body: "It was used already, or a newer confirmation mail replaced it. Subscribe again to get a fresh link.", again: { href: "/subscribe", label: "Subscribe" } },
    invalid: { title: "This link is damaged", body: "Copy the whole link from the mail into the address bar, or subscribe again.", again: { href: "/subscribe", label: "Subscribe" } },
  },
  signin: {
    "already-confirmed": { title: "You are signed in", body: "This link was used before.", again: { href: "/account", label: "Your account" } },
    expired: { title: "This sign-in link has expired", body: "Sign-in links work for an hour. Ask for a fresh one.", again: { href: "/signin", label: "Sign in" } },
    used: { title: "This sign-in link was used already", body: "Each link signs in once. Ask for a fresh one if this browser is not signed in.", again: { href: "/signin", label: "Sign in" } },
    invalid: { title: "This sign-in link is damaged", body: "Copy the whole link from the mail into the address bar, or ask for a fresh one.", again: { href: "/signin", label: "Sign in" } },
  },
};

function ConfirmButton({ action, label }: { action: string; label: string }) {
  // A plain HTML form: works without JavaScript, and posts to the very link that was mailed.
  return (
    <form method="post" action={action} className="confirm-form">
      <button className="button button-primary" type="submit">
        {label}
      </button>
    </form>
  );
}

export default async function ConfirmPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const usable = typeof token === "string" && token.length <= 200 ? token : "";
  const kind = usable.startsWith("s.") ? "signin" : "subscribe";
  const action = `/${kind === "signin" ? "signin" : "subscribe"}/confirm?${new URLSearchParams({ token: usable })}`;

  if (kind === "subscribe") {
    const state = usable ? await inspectConfirmation(usable) : ({ status: "invalid" } as const);
    if (state.status === "valid") {
      return (
        <div className="narrow-page notice-page">
          <h1 className="page-title">Confirm your subscription</h1>
          <p className="lead">
            The daily digest of trending papers will go to <strong>{state.email}</strong>. Confirming also signs you in on this browser.
          </p>
          <ConfirmButton action={action} label="Confirm subscription" />
        </div>
      );
    }
    return <ProblemNotice problem={PROBLEMS.subscribe[state.status]} />;
  }

  const state = await inspectSignIn(usable);
  if (state.status === "valid") {
    return (
      <div className="narrow-page notice-page">
        <h1 className="page-title">Sign in to Trending Papers</h1>
        <p className="lead">
          Sign in as <strong>{state.email}</strong>
          {state.paperTitle ? (
            <>
              {" "}
              and upvote <strong>{state.paperTitle}</strong>
            </>
          ) : null}
          .
        </p>
        <ConfirmButton action={action} label={state.paperTitle ? "Sign in and upvote" : "Sign in"} />
      </div>
    );
  }
  return <ProblemNotice problem={PROBLEMS.signin[state.status]} />;
}

function ProblemNotice({ problem }: { problem: { title: string; body: string; again: { href: string; label: string } } }) {
  return (
    <div className="narrow-page notice-page">
      <h1 className="page-title">{problem.title}</h1>
      <p className="lead">{problem.body}</p>
      <p>
        <Link href={problem.again.href}>{problem.again.label}</Link> · <Link href="/">Trending papers</Link>
      </p>
    </div>
  );
}
