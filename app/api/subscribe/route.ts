// POST /api/subscribe {"email"}: starts double opt-in. The answer is the same for new, pending,
// confirmed and unsubscribed addresses (202); bad input 400, too many requests 429 with Retry-After.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { handle, jsonError, readJsonBody } from "@/lib/api/respond";
import { checkInboxMessage, MAIL_FAILED_MESSAGE, subscribe } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ email: z.string().max(1_000, "is too long") });

export async function POST(request: NextRequest) {
  return handle(async () => {
    const { email } = await readJsonBody(request, bodySchema, { maxBytes: 10_000, example: '{"email": "…"}' });
    const result = await subscribe({ email, ip: clientIp(request.headers) });
    switch (result.status) {
      case "invalid":
        return jsonError(400, "invalid_request", `email: ${result.error}`);
      case "limited": {
        const response = jsonError(429, "rate_limited", result.message);
        response.headers.set("Retry-After", String(result.retryAfterSeconds));
        return response;
      }
      case "mail-failed":
        return jsonError(503, "unavailable", MAIL_FAILED_MESSAGE);
      case "check-inbox":
        return NextResponse.json(
          { status: "pending_confirmation", email: result.email, message: checkInboxMessage(result.email) },
          { status: 202, headers: { "Cache-Control": "no-store" } },
        );
    }
  });
}
