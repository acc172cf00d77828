// Requests handed straight to route handlers, as our web server hands them to Next: with the
// client-address header it sets from the socket (and the mark saying that server is in front).
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { verifyPerson } from "@/lib/auth/store";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { markBehindWebServer } from "@/lib/http/web-server-mark";

markBehindWebServer();

/** The headers our web server adds for a client at this address. */
export function fromClient(address: string): Record<string, string> {
  return { [CLIENT_ADDRESS_HEADER]: address };
}

let next = 0;
/** A client at a fresh address each call, for tests that are not about per-IP limits. */
export function fromSomeClient(): Record<string, string> {
  next++;
  return fromClient(`198.18.${(next >> 8) & 255}.${next & 255}`);
}

/** A browser signed in as the person with this address (as confirming a mailed link leaves it): its Cookie header and the person. */
export async function signedInAs(email: string): Promise<{ cookie: string; personId: bigint }> {
  const personId = await verifyPerson(email);
  const session = await createSession(personId);
  return { cookie: `${SESSION_COOKIE}=${session.token}`, personId };
}
