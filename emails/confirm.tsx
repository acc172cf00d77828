// The double opt-in mail: a one-time confirm link, or a note that the address is already subscribed.
import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties } from "react";

export type ConfirmEmailProps = {
  appUrl: string;
  confirmUrl: string;
  /** Sent when someone re-submits a confirmed address: no new link, nothing to click. */
  alreadySubscribed: boolean;
  unsubscribeUrl?: string;
};

export function ConfirmEmail({ appUrl, confirmUrl, alreadySubscribed, unsubscribeUrl }: ConfirmEmailProps) {
  const host = new URL(appUrl).host;
  return (
    <Html lang="en">
      <Head />
      <Preview>
        {alreadySubscribed
          ? "This address already gets the daily Trending Papers digest."
          : "Confirm that you want the daily Trending Papers digest."}
      </Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          {alreadySubscribed ? (
            <Section>
              <Heading as="h1" style={styles.h1}>You are already subscribed</Heading>
              <Text style={styles.text}>
                Someone asked to subscribe this address to the daily Trending Papers digest at {host}, and it already
                gets it. There is nothing to do.
              </Text>
              {unsubscribeUrl && (
                <Text style={styles.text}>
                  No longer want it? <Link href={unsubscribeUrl} style={styles.link}>Unsubscribe</Link>
                </Text>
              )}
            </Section>
          ) : (
            <Section>
              <Heading as="h1" style={styles.h1}>Confirm your subscription</Heading>
              <Text style={styles.text}>
                Someone asked to send the daily Trending Papers digest from {host} to this address. Confirm to start
                getting it:
              </Text>
              <Section style={styles.buttonRow}>
                <Button href={confirmUrl} style={styles.button}>Confirm subscription</Button>
              </Section>
              <Text style={styles.small}>
                The link expires in 48 hours and can be used once. If the button does not work, open this address:{" "}
                <Link href={confirmUrl} style={styles.url}>{confirmUrl}</Link>
              </Text>
              <Text style={styles.small}>If you did not ask for this, ignore this mail; you will not hear from us again.</Text>
            </Section>
          )}
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
  button: {
    backgroundColor: accent,
    color: "#ffffff",
    fontSize: "16px",
    fontWeight: 600,
    padding: "12px 24px",
    borderRadius: "6px",
    textDecoration: "none",
  },
  link: { color: accent, textDecoration: "underline" },
  // A long token would otherwise widen the layout on phones.
  url: { color: accent, textDecoration: "underline", wordBreak: "break-all" },
  hr: { borderColor: "#e5e7eb", margin: "16px 0" },
  footerLink: { color: "#4b5563", textDecoration: "underline" },
} satisfies Record<string, CSSProperties>;

ConfirmEmail.PreviewProps = {
  appUrl: "http://localhost:3000",
  confirmUrl: "http://localhost:3000/subscribe/confirm?token=preview",
  alreadySubscribed: false,
} satisfies ConfirmEmailProps;

export default ConfirmEmail;
