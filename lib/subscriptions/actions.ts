"use server";
// Server actions behind the subscribe and unsubscribe forms (they work without JavaScript too).
import { headers } from "next/headers";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { subscribeFieldsSchema, subscribePreferences } from "./preferences";
import { checkInboxMessage, MAIL_FAILED_MESSAGE, subscribe, unsubscribe } from "./subscribe";

export type SubscribeFormState = { status: "idle" | "ok" | "error"; message: string; email: string };

const formSchema = z.object({ email: z.string().max(1_000, "That email address is too long.") });

/** The form's optional topics and cadence, as the subscribe API takes them. */
const topicsSchema = subscribeFieldsSchema.pick({ categories: true, cadence: true, weeklyDay: true });

function readTopics(form: FormData): { ok: true; fields: z.infer<typeof topicsSchema> | null } | { ok: false; message: string } {
  const categories = form.getAll("categories").filter((value): value is string => typeof value === "string");
  const cadence = form.get("cadence");
  const weeklyDay = form.get("weeklyDay");
  const parsed = topicsSchema.safeParse({
    categories,
    cadence: typeof cadence === "string" && cadence ? cadence : undefined,
    weeklyDay: typeof weeklyDay === "string" && cadence === "weekly" ? Number(weeklyDay) : undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Topics: ${issue?.path.join(".") || "form"}: ${issue?.message ?? "invalid"}` };
  }
  // Untouched (no topic, daily), the request carries no preferences, so an earlier request's are kept.
  const { categories: chosen = [], cadence: how = "daily" } = parsed.data;
  return { ok: true, fields: chosen.length > 0 || how !== "daily" ? parsed.data : null };
}

export async function subscribeAction(_previous: SubscribeFormState, form: FormData): Promise<SubscribeFormState> {
  const parsed = formSchema.safeParse({ email: form.get("email") ?? "" });
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Enter an email address.", email: "" };
  const { email } = parsed.data;
  const topics = readTopics(form);
  if (!topics.ok) return { status: "error", message: topics.message, email };
  try {
    const result = await subscribe({ email, ip: clientIp(await headers()), preferences: topics.fields ? subscribePreferences(topics.fields) : undefined });
    switch (result.status) {
      case "check-inbox":
        return { status: "ok", message: checkInboxMessage(result.email), email: "" };
      case "invalid":
        return { status: "error", message: result.error, email };
      case "limited":
        return { status: "error", message: result.message, email };
      case "mail-failed":
        return { status: "error", message: MAIL_FAILED_MESSAGE, email };
    }
  } catch (error) {
    console.error("subscribe:", error);
    return { status: "error", message: "Something went wrong on our side; please try again in a moment.", email };
  }
}

export type UnsubscribeFormState = { status: "idle" | "done" | "invalid" | "error"; email: string | null };

export async function unsubscribeAction(_previous: UnsubscribeFormState, form: FormData): Promise<UnsubscribeFormState> {
  const token = form.get("token");
  if (typeof token !== "string" || token.length > 200) return { status: "invalid", email: null };
  try {
    const result = await unsubscribe(token);
    return result.status === "invalid" ? { status: "invalid", email: null } : { status: "done", email: result.email };
  } catch (error) {
    console.error("unsubscribe:", error);
    return { status: "error", email: null };
  }
}
