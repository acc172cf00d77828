// POST /api/subscribe {"email", "categories"?, "follow"?, "authors"?, "cadence"?, …}: starts double
// opt-in, with the digest's preferences if given (lib/subscriptions/preferences.ts checks each field
// and bounds every list). The answer is the same for new, pending, confirmed and unsubscribed
// addresses (202); bad input 400 naming the field, too many requests 429 with Retry-After.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { handle, jsonError, readJsonBody } from "@/lib/api/respond";
import { subscribeFieldsSchema, subscribePreferences } from "@/lib/subscriptions/preferences";
import { checkInboxMessage, MAIL_FAILED_MESSAGE, subscribe } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";

const bodySchema = subscribeFieldsSchema.extend({ email: z.string().max(1_000, "is too long") });

export async function POST(request: NextRequest) {
  return handle(async () => {
    const { email, ...fields } = await readJsonBody(request, bodySchema, {
      maxBytes: 64_000,
      example: '{"email": "…", "categories": ["cs.RO"], "follow": ["diffusion policy"], "authors": [], "cadence": "daily"}',
    });
    const result = await subscribe({ email, ip: clientIp(request.headers), preferences: Object.keys(fields).length > 0 ? subscribePreferences(fields) : undefined });
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
