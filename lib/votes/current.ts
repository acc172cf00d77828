// The visitor reading a page (from the vote cookie), for showing which papers they upvoted.
import { cookies } from "next/headers";
import { tokenSecret } from "@/lib/mail/secret";
import { readVisitorCookie, VISITOR_COOKIE } from "./visitor";
import { votedPapers } from "./votes";

/** Which of these papers the current visitor has upvoted (none for a first-time visitor). */
export async function currentVotes(paperIds: string[]): Promise<Set<string>> {
  const visitor = readVisitorCookie(tokenSecret(), (await cookies()).get(VISITOR_COOKIE)?.value);
  return votedPapers(visitor, paperIds);
}
