// The sign-in mail: one link that opens a page with a "Sign in" button (opening it changes nothing).
import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { LinkMail, linkMailStyles as styles } from "./_components/link-mail";

export type SignInEmailProps = {
  appUrl: string;
  signInUrl: string;
  /** The paper whose upvote waits for this sign-in, shown so the mail says why it came. */
  paperTitle?: string;
};

export function SignInEmail({ appUrl, signInUrl, paperTitle }: SignInEmailProps) {
  const host = new URL(appUrl).host;
  return (
    <LinkMail appUrl={appUrl} preview="Your link to sign in to Trending Papers.">
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
    </LinkMail>
  );
}

SignInEmail.PreviewProps = {
  appUrl: "http://localhost:3000",
  signInUrl: "http://localhost:3000/signin/confirm?token=preview",
  paperTitle: "Attention Is All You Need",
} satisfies SignInEmailProps;

export default SignInEmail;
