// The double opt-in mail: a one-time confirm link, or a note that the address is already subscribed.
import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { LinkMail, linkMailStyles as styles } from "./_components/link-mail";

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
    <LinkMail
      appUrl={appUrl}
      preview={alreadySubscribed ? "This address already gets the daily Trending Papers digest." : "Confirm that you want the daily Trending Papers digest."}
    >
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
    </LinkMail>
  );
}

ConfirmEmail.PreviewProps = {
  appUrl: "http://localhost:3000",
  confirmUrl: "http://localhost:3000/subscribe/confirm?token=preview",
  alreadySubscribed: false,
} satisfies ConfirmEmailProps;

export default ConfirmEmail;
