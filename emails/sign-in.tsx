// The sign-in mail: one link that opens a page with a "Sign in" button (opening it changes nothing).
import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties } from "react";

export type SignInEmailProps = {
  appUrl: string;
  signInUrl: string;
  /** The paper whose upvote waits for this sign-in, shown so the mail says why it came. */
  paperTitle?: string;
};

export function SignInEmail({ appUrl, signInUrl, paperTitle }: SignInEmailProps) {
  const host = new URL(appUrl).host;
  return (
    <Html lang="en">
      <Head />
      <Preview>Your link to sign in to Trending Papers.</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section>
            <Heading as="h1" style={styles.h1}>Sign in to Trending Papers</Heading>
            <Text style={styles.text}>
              Someone asked to sign in to Trending Papers at {host} with this address
              {paperTitle ? <>, to upvote “{paperTitle}”</> : null}. Open the link and press the button to sign in:
            </Text>
            <Section style={styles.buttonRow}>
              <Button href={signInUrl} style={styles.button}>Sign in</Button>
            </Section>
            <Text style={styles.small}>
              The link works once, for one hour. If the button does not work, open this address:{" "}
              <Link href={signInUrl} style={styles.url}>{signInUrl}</Link>
            </Text>
            <Text style={styles.small}>If you did not ask for this, ignore this mail: nobody can sign in without the link.</Text>
          </Section>
          <Hr style={styles.hr} />
          <Text style={styles.small}>
            Trending Papers · <Link href={appUrl} style={styles.footerLink}>{appUrl}</Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

const accent = "#4f46e5";
const fontFamily = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

const styles = {
  body: { backgroundColor: "#f3f4f6", color: "#111827", fontFamily, margin: 0, padding: "16px 0" },
  container: { backgroundColor: "#ffffff", maxWidth: "600px", width: "100%", padding: "24px 20px", borderRadius: "8px" },
  h1: { fontSize: "22px", lineHeight: "28px", margin: "0 0 12px", color: "#111827" },
  text: { fontSize: "15px", lineHeight: "22px", color: "#1f2937", margin: "0 0 12px" },
  small: { fontSize: "13px", lineHeight: "19px", color: "#4b5563", margin: "0 0 8px" },
  buttonRow: { margin: "8px 0 20px" },
  button: { backgroundColor: accent, color: "#ffffff", fontSize: "16px", fontWeight: 600, padding: "12px 24px", borderRadius: "6px", textDecoration: "none" },
  // A long token would otherwise widen the layout on phones.
  url: { color: accent, textDecoration: "underline", wordBreak: "break-all" },
  hr: { borderColor: "#e5e7eb", margin: "16px 0" },
  footerLink: { color: "#4b5563", textDecoration: "underline" },
} satisfies Record<string, CSSProperties>;

SignInEmail.PreviewProps = {
  appUrl: "http://localhost:3000",
  signInUrl: "http://localhost:3000/signin/confirm?token=preview",
  paperTitle: "Attention Is All You Need",
} satisfies SignInEmailProps;

export default SignInEmail;
