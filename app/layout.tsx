import type { Metadata, Viewport } from "next";
import { SiteFooter } from "@/components/site-footer";
import { SiteHeader } from "@/components/site-header";
import { env } from "@/lib/env";
import { FEED_ALTERNATES } from "@/lib/feeds/feed";
import "./globals.css";

export const metadata: Metadata = {
  // Canonical and social URLs resolve against the public base URL, never the Host header.
  metadataBase: new URL(env.APP_URL),
  title: { default: "Trending Papers", template: "%s · Trending Papers" },
  description: "The day's trending research papers, searchable abstracts and a daily digest.",
  alternates: { types: FEED_ALTERNATES },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0d1117" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        {/* The one <main> landmark of every page; pages render their content straight into it. */}
        <main id="main" className="site-main">
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
