import type { Metadata } from "next";
import Link from "next/link";
import { SubscribeForm } from "@/components/subscribe-form";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Subscribe to the daily digest" };

export default function SubscribePage() {
  return (
    <div className="narrow-page">
      <h1 className="page-title">Trending papers in your inbox, once a day</h1>
      <p className="lead">
        Every morning ({env.DIGEST_TZ === "UTC" ? "UTC" : env.DIGEST_TZ}), the {env.DIGEST_SIZE} papers researchers upvoted most the day before: title, authors, a
        few lines of the abstract, votes and code links. One mail a day, or once a week if you prefer;
        choose topics to get the top papers of your fields instead.
      </p>
      <SubscribeForm />
      <ul className="fine-print">
        <li>We send a confirmation link first; nothing else arrives until you open it.</li>
        <li>Every digest has a one-click unsubscribe link.</li>
        <li>We keep your address, when you subscribed and confirmed, and the IP address you did it from, as a record of your consent.</li>
        <li>
          Past digests are on the web: <Link href="/digests">read them here</Link>.
        </li>
      </ul>
    </div>
  );
}
