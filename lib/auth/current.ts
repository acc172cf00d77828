// The person signed in on this request (server components, server actions), from the session cookie.
import { cookies } from "next/headers";
import { findSession, SESSION_COOKIE, type SessionPerson } from "./sessions";

export async function currentPerson(): Promise<SessionPerson | null> {
  return findSession((await cookies()).get(SESSION_COOKIE)?.value);
}
