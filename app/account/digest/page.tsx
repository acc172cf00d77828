// "Your digest": the signed-in person's digest settings, or, opened from a digest mail's "change your
// digest" link (?token=m.…), that subscriber's. Per person, so never cached; the token is not sent on
// as a Referer, and the page hands it to the browser's memory only (the address bar drops it).
import type { Metadata } from "next";
import Link from "next/link";
import { DigestSettings } from "@/components/digest-settings";
import { SignInForm } from "@/components/sign-in-form";
import { currentPerson } from "@/lib/auth/current";
import { env } from "@/lib/env";
import { tokenSecret } from "@/lib/mail/secret";
import { readManageToken } from "@/lib/mail/tokens";
import { digestState } from "@/lib/subscriptions/feed";
import type { DigestState } from "@/lib/subscriptions/preferences";
import { subscriptionOf } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your digest", robots: { index: false }, referrer: "no-referrer" };

function SignIn({ problem }: { problem?: string }) {
  return (
    <div className="narrow-page">
      <h1 className="page-title">Your digest</h1>
      <p className="lead">
        {problem ? `${problem} ` : ""}Sign in to choose your digest&apos;s topics, the keywords and authors you follow, and when it comes. Enter your address to
        get a sign-in link.
      </p>
      <SignInForm nextPath="/account/digest" />
      <p className="fine-print-line">
        Not subscribed yet? <Link href="/subscribe">Subscribe</Link> with just your address.
      </p>
    </div>
  );
}

export default async function DigestPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token: given } = await searchParams;
  const token = typeof given === "string" && given.length <= 200 ? given : undefined;
  // The session wins over a link's token, as in the API.
  const person = await currentPerson();
  let initial: DigestState;
  let viaLink = false;
  // The page starts from what GET /api/me/digest would answer.
  if (person) initial = await digestState(await subscriptionOf(person), person.email, true);
  else if (token) {
    const check = readManageToken(tokenSecret(), token);
    if (!check.ok)
      return (
        <SignIn problem={check.reason === "expired" ? "This link from your digest has expired." : "This link is not valid (it may have been cut short)."} />
      );
    const subscription = await subscriptionOf({ subscriberId: check.value.subscriberId });
    if (!subscription) return <SignIn problem="This subscription no longer exists." />;
    initial = await digestState(subscription, null, false);
    viaLink = true;
  } else return <SignIn />;

  return (
    <div className="digest-page">
      {person && (
        <p className="breadcrumb">
          <Link href="/account">Your account</Link> <span aria-hidden="true">›</span>
        </p>
      )}
      <h1 className="page-title">Your digest</h1>
      <p className="lead">Choose what the digest brings you and when. Changes apply from the next digest.</p>
      {viaLink && (
        <p className="notice" role="note">
          Opened from your digest&apos;s link, which works for two weeks from that mail. To come back later, <Link href="/signin">sign in</Link>.
        </p>
      )}
      <DigestSettings initial={initial} token={viaLink ? token : undefined} siteSize={env.DIGEST_SIZE} />
    </div>
  );
}
