"use client";
// The header's search box: a plain GET form without JavaScript; with it, results follow the typing.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";

const TYPING_PAUSE_MS = 250;
const INPUT_ID = "site-search-q";

// Text typed into the box before this component took over (the server-rendered box or the plain
// fallback form), which React would otherwise replace with the URL's query.
function typedBeforeLoad(): string | null {
  if (typeof document === "undefined") return null;
  const input = document.getElementById(INPUT_ID);
  return input instanceof HTMLInputElement && input.value !== input.defaultValue ? input.value : null;
}

export function HeaderSearch() {
  const pathname = usePathname();
  const params = useSearchParams();
  const router = useRouter();
  const onSearchPage = pathname === "/search";
  const urlQuery = onSearchPage ? (params.get("q") ?? "") : "";
  const [value, setValue] = useState(() => typedBeforeLoad() ?? urlQuery);
  const [seenUrlQuery, setSeenUrlQuery] = useState(urlQuery);
  // Queries this box put in the URL. A navigation can land after more typing (a slow page), so the
  // URL catching up with one of them must not replace what is in the box now.
  const [sent, setSent] = useState<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The URL's query changed without typing here (back button, a link): show it.
  if (urlQuery !== seenUrlQuery) {
    setSeenUrlQuery(urlQuery);
    if (!sent.includes(urlQuery)) {
      setValue(urlQuery);
      setSent([]);
    }
  }

  const go = (text: string) => {
    const next = onSearchPage ? new URLSearchParams(params.toString()) : new URLSearchParams();
    if (text.trim()) next.set("q", text);
    else next.delete("q");
    next.delete("offset");
    const href = `/search${next.size ? `?${next}` : ""}`;
    setSent((queries) => [...queries.slice(-9), text.trim() ? text : ""]);
    // On the search page only the URL changes (results are fetched client side); elsewhere, navigate.
    if (onSearchPage) window.history.replaceState(null, "", href);
    else router.push(href);
  };

  // Search for what was typed before load, as if it had been typed now.
  const typedEarly = useRef(value !== urlQuery);
  useEffect(() => {
    if (!typedEarly.current) return;
    typedEarly.current = false;
    timer.current = setTimeout(() => go(value), TYPING_PAUSE_MS);
    // Runs once after mount with the first value; later typing has its own handler.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <form
      className="site-search"
      action="/search"
      method="get"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        go(value);
      }}
    >
      <label className="sr-only" htmlFor={INPUT_ID}>
        Search papers
      </label>
      <input
        id={INPUT_ID}
        name="q"
        type="search"
        placeholder="Search papers…"
        autoComplete="off"
        maxLength={500}
        value={value}
        onChange={(event) => {
          const text = event.target.value;
          setValue(text);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => go(text), TYPING_PAUSE_MS);
        }}
      />
      <button type="submit">Search</button>
    </form>
  );
}
