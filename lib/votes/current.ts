// Who is voting on this request: the signed-in person, or (anonymous voting only) the visitor
// cookie a page set. Read from the request's cookies by the vote route; pages never read them, so
// they stay the same for everyone and can be cached (the browser asks GET /api/votes instead).
import { findSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { env } from "@/lib/env";
import { tokenSecret } from "@/lib/mail/secret";
import { readVisitorCookie, VISITOR_COOKIE } from "./visitor";
import { votedPapers, type Voter } from "./votes";

type ReadCookie = (name: string) => string | undefined;

/** The voter behind these cookies, or null: a vote then needs a sign-in first. */
export async function voterFromCookies(read: ReadCookie): Promise<Voter | null> {
  const person = await findSession(read(SESSION_COOKIE));
  if (person) return { personId: person.personId };
  if (!env.VOTES_ANONYMOUS) return null;
  const visitorId = readVisitorCookie(tokenSecret(), read(VISITOR_COOKIE));
  return visitorId ? { visitorId } : null;
}

export type CurrentVotes = { voted: string[]; canVote: boolean };

/** Which of these papers the voter behind these cookies has upvoted, and whether they can vote without signing in first. */
export async function currentVotes(read: ReadCookie, paperIds: string[]): Promise<CurrentVotes> {
  const voter = await voterFromCookies(read);
  return { voted: [...(await votedPapers(voter, paperIds))], canVote: voter !== null };
}
