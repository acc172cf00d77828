"use client";
// The subscribe form: an address, and a confirmation link mailed to it.
import { EmailForm } from "@/components/email-form";
import { subscribeAction } from "@/lib/subscriptions/actions";

export function SubscribeForm({ compact = false }: { compact?: boolean }) {
  return <EmailForm action={subscribeAction} submitLabel="Subscribe" pendingLabel="Subscribing…" compact={compact} />;
}
