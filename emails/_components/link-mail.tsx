// What the mails that carry one link (confirmation, sign-in) share: the frame, the footer and the styles.
import { Body, Container, Head, Hr, Html, Link, Preview, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";

const accent = "#4f46e5";
const fontFamily = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

export const linkMailStyles = {
  body: { backgroundColor: "#f3f4f6", color: "#111827", fontFamily, margin: 0, padding: "16px 0" },
  container: { backgroundColor: "#ffffff", maxWidth: "600px", width: "100%", padding: "24px 20px", borderRadius: "8px" },
  h1: { fontSize: "22px", lineHeight: "28px", margin: "0 0 12px", color: "#111827" },
  text: { fontSize: "15px", lineHeight: "22px", color: "#1f2937", margin: "0 0 12px" },
  small: { fontSize: "13px", lineHeight: "19px", color: "#4b5563", margin: "0 0 8px" },
  buttonRow: { margin: "8px 0 20px" },
  button: { backgroundColor: accent, color: "#ffffff", fontSize: "16px", fontWeight: 600, padding: "12px 24px", borderRadius: "6px", textDecoration: "none" },
  link: { color: accent, textDecoration: "underline" },
  // A long token would otherwise widen the layout on phones.
  url: { color: accent, textDecoration: "underline", wordBreak: "break-all" },
  hr: { borderColor: "#e5e7eb", margin: "16px 0" },
  footerLink: { color: "#4b5563", textDecoration: "underline" },
} satisfies Record<string, CSSProperties>;

export function LinkMail({ appUrl, preview, children }: { appUrl: string; preview: string; children: ReactNode }) {
  const styles = linkMailStyles;
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          {children}
          <Hr style={styles.hr} />
          <Text style={styles.small}>
            Trending Papers · <Link href={appUrl} style={styles.footerLink}>{appUrl}</Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
