import { describe, expect, it } from "vitest";
import { render, toPlainText } from "@react-email/render";
import { createElement } from "react";
import { abstractExcerpt, DigestEmail, type MailEdition } from "@/emails/digest";
import { MANAGE_PLACEHOLDER, PaperBlocks, UNSUBSCRIBE_PLACEHOLDER, personalize, renderConfirmMail, renderDigestMail, renderSignInMail } from "@/lib/mail/render";
import type { RankedPaper } from "@/lib/papers/types";

const appUrl = "https://papers.example.org";

function paper(overrides: Partial<RankedPaper> & Pick<RankedPaper, "rank" | "id" | "title">): RankedPaper {
  return {
    authors: ["Lena Fischer", "Rahul Mehta", "Sofia Alvarez"],
    abstract: "We propose a simple method and evaluate it on standard benchmarks.",
    categories: ["cs.LG"],
    votes: 42,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    arxivUrl: `https://arxiv.org/abs/${overrides.id}`,
    listedAt: "2026-06-16",
    ...overrides,
  };
}

const papers: RankedPaper[] = [
  paper({
    rank: 1,
    id: "2606.01234",
    title: "Attention Sinks Emerge from Softmax Normalization in Long-Context Transformers",
    authors: ["Mei Chen", "Jonas Weber", "Aisha Bello", "Tomás Ruiz", "Hana Sato", "Oliver Grant", "Priya Nair"],
    abstract:
      "Large language models allocate a surprising share of attention to the first tokens of a sequence, a phenomenon known as attention sinks. We show that sinks arise from the softmax normalization itself rather than from positional encodings, derive the conditions under which they appear, and propose a gated variant that removes them while matching perplexity on contexts up to 128k tokens.",
    votes: 312,
    githubRepo: "https://github.com/example-lab/attention-sinks",
    githubStars: 2480,
  }),
  paper({
    rank: 2,
    id: "2606.04567",
    title: "Diffusion Policies for Dexterous Manipulation from Human Video",
    abstract: "We learn <script>alert(1)</script> robot policies <img src=x onerror=alert(1)> from videos of human hands.",
    categories: ["cs.RO", "cs.CV"],
    votes: 187,
    projectPage: "https://example.github.io/dexdiff/",
  }),
  paper({
    rank: 3,
    id: "hep-th/9901001",
    title: "Holographic Renormalization Group Flows in Five-Dimensional Gauged Supergravity",
    categories: ["hep-th"],
    votes: 1,
  }),
];

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe("renderDigestMail", () => {
  it("renders an HTML and a text part that both list every paper", async () => {
    const mail = await renderDigestMail({ date: "2026-06-16", papers, appUrl });
    expect(mail.subject).toMatch(/^Trending papers for June 16, 2026: Attention Sinks .*…$/);
    expect(mail.subject.length).toBeLessThan(100);
    for (const part of [mail.html, mail.text]) {
      expect(part.length).toBeGreaterThan(0);
      for (const { title } of papers) expect(part).toContain(title);
      expect(part).toContain("312 votes");
      expect(part).toContain("1 vote");
    }
    expect(mail.text).toContain("Trending papers · June 16, 2026");
    expect(mail.text).toContain("Code ★ 2.5K");
    expect(mail.text).toContain("Mei Chen, Jonas Weber, Aisha Bello, Tomás Ruiz +3 more");
  });

  it("escapes markup in abstracts", async () => {
    const { html } = await renderDigestMail({ date: "2026-06-16", papers, appUrl });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("links only to absolute URLs, papers to their page on this site", async () => {
    const { html, text } = await renderDigestMail({ date: "2026-06-16", papers, appUrl });
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs.length).toBeGreaterThan(papers.length);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    expect(hrefs).toContain("https://papers.example.org/papers/2606.01234");
    expect(hrefs).toContain("https://papers.example.org/papers/2606.04567");
    expect(hrefs).toContain("https://papers.example.org/papers/hep-th/9901001");
    expect(hrefs).toContain("https://papers.example.org/digests/2026-06-16");
    expect(hrefs).toContain("https://github.com/example-lab/attention-sinks");
    expect(hrefs).toContain("https://arxiv.org/abs/hep-th/9901001");
    expect(text).toContain("https://papers.example.org/papers/hep-th/9901001");
  });

  it("keeps the unsubscribe placeholder verbatim until personalize fills in every one", async () => {
    const mail = await renderDigestMail({ date: "2026-06-16", papers, appUrl });
    expect(count(mail.html, UNSUBSCRIBE_PLACEHOLDER)).toBeGreaterThan(0);
    expect(count(mail.text, UNSUBSCRIBE_PLACEHOLDER)).toBeGreaterThan(0);

    const url = "https://papers.example.org/unsubscribe?token=abc.DEF_12-3";
    const manage = "https://papers.example.org/account/digest?token=m.1.abc.DEF_12-3";
    const personal = personalize(mail, url, manage);
    expect(personal.subject).toBe(mail.subject);
    for (const placeholder of [UNSUBSCRIBE_PLACEHOLDER, MANAGE_PLACEHOLDER]) {
      expect(personal.html).not.toContain(placeholder);
      expect(personal.text).not.toContain(placeholder);
    }
    expect(count(personal.html, url)).toBe(count(mail.html, UNSUBSCRIBE_PLACEHOLDER));
    expect(count(personal.text, url)).toBe(count(mail.text, UNSUBSCRIBE_PLACEHOLDER));
    expect(count(personal.html, manage)).toBe(count(mail.html, MANAGE_PLACEHOLDER));
    expect(count(mail.html, MANAGE_PLACEHOLDER)).toBeGreaterThan(0);
    expect(personal.html).toContain(`href="${url}"`);
    expect(personal.html).toContain(`href="${manage}"`);
  });

  it("replaces repeated placeholders, not just the first", () => {
    const twice = `<a href="${UNSUBSCRIBE_PLACEHOLDER}">Unsubscribe</a> <a href="${UNSUBSCRIBE_PLACEHOLDER}">here</a>`;
    const url = "https://papers.example.org/unsubscribe?token=xyz";
    const personal = personalize({ subject: "s", html: twice, text: `${UNSUBSCRIBE_PLACEHOLDER}\n${UNSUBSCRIBE_PLACEHOLDER}` }, url);
    expect(count(personal.html, url)).toBe(2);
    expect(personal.text).toBe(`${url}\n${url}`);
  });

  it("refuses unsubscribe URLs that would need escaping", async () => {
    const mail = await renderDigestMail({ date: "2026-06-16", papers, appUrl });
    for (const url of [
      "https://papers.example.org/unsubscribe?token=a&b=c",
      'https://papers.example.org/unsubscribe?token="><script>',
      "https://papers.example.org/unsubscribe?token=a b",
      "javascript:alert(1)",
    ]) {
      expect(() => personalize(mail, url)).toThrow(/escaping/);
    }
  });
});

describe("abstractExcerpt", () => {
  const long =
    "We introduce a benchmark of 2,000 research-level mathematics problems, each checked by two experts, and evaluate frontier models under a strict protocol that forbids tool use. The best model solves 14% of the problems; errors concentrate in multi-step proofs where an early lemma is assumed without justification, which suggests that verification rather than recall limits current systems.";

  it("leaves short text alone, apart from collapsing whitespace", () => {
    expect(abstractExcerpt("A short abstract.")).toBe("A short abstract.");
    expect(abstractExcerpt("  Line one\n  line two.  ")).toBe("Line one line two.");
  });

  it("cuts on a word boundary within the limit and marks the cut", () => {
    const excerpt = abstractExcerpt(long);
    expect(long.length).toBeGreaterThan(280);
    expect(excerpt.length).toBeLessThanOrEqual(280);
    expect(excerpt.endsWith("…")).toBe(true);
    const kept = excerpt.slice(0, -1);
    expect(long.startsWith(kept)).toBe(true);
    expect(long[kept.length]).toBe(" ");
    expect(kept.length).toBeGreaterThan(250);
  });

  it("drops punctuation left dangling at the cut", () => {
    expect(abstractExcerpt("alpha beta, gamma delta", 13)).toBe("alpha beta…");
    expect(abstractExcerpt("alpha beta gamma", 11)).toBe("alpha beta…");
  });
});

describe("renderConfirmMail", () => {
  const confirmUrl = "https://papers.example.org/subscribe/confirm?token=Zm9v_YmFy-42";

  it("asks to confirm with a one-time link that expires", async () => {
    const mail = await renderConfirmMail({ appUrl, confirmUrl, alreadySubscribed: false });
    expect(mail.subject).toBe("Confirm your Trending Papers subscription");
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain(confirmUrl);
      expect(part).toContain("48 hours");
      expect(part).toContain("you will not hear from us again");
    }
    for (const [, href] of mail.html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^https?:\/\//);
  });

  it("tells an already subscribed reader so, without a confirm link", async () => {
    const unsubscribeUrl = "https://papers.example.org/unsubscribe?token=abc";
    const mail = await renderConfirmMail({ appUrl, confirmUrl, alreadySubscribed: true, unsubscribeUrl });
    expect(mail.subject).toBe("You are already subscribed to Trending Papers");
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain("You are already subscribed");
      expect(part).not.toContain(confirmUrl);
      expect(part).toContain(unsubscribeUrl);
    }
  });
});

describe("renderSignInMail", () => {
  it("carries the link in both parts and names the paper as text, never as markup", async () => {
    const signInUrl = "https://papers.example.org/signin/confirm?token=s.1.AAAAAAAAAAAAAAAA.abc.sig";
    const mail = await renderSignInMail({ appUrl, signInUrl, paperTitle: 'Attention <img src=x onerror="alert(1)"> & more' });
    expect(mail.subject).toBe("Your Trending Papers sign-in link");
    expect(mail.html).toContain(`href="${signInUrl.replace(/&/g, "&amp;")}"`);
    expect(mail.text).toContain(signInUrl);
    expect(mail.html).not.toContain("<img src=x");
    expect(mail.html).toContain("Attention &lt;img src=x");
    expect(mail.text).toContain('Attention <img src=x onerror="alert(1)"> & more');
  });
});

describe("a personal edition's mail", () => {
  const edition: MailEdition = {
    kind: "weekly",
    from: "2026-06-10",
    to: "2026-06-16",
    papers: papers.map((p, i) => ({ ...p, rank: i + 1, reasons: i === 0 ? ["in cs.LG", "trending #1 this week"] : ["matches “diffusion policy”", "by Tomás <b>Ruiz</b>"] })),
    more: [{ label: "diffusion <policy>", count: 12, searchPath: "/search?q=diffusion&from=2026-06-10&to=2026-06-16" }],
  };
  const normalized = (html: string) => html.replace(/<!-- -->/g, "").replace(/\s+/g, " ");

  it("assembled from paper blocks rendered once, says exactly what rendering it whole says", async () => {
    const assembled = await renderDigestMail({ date: "2026-06-16", papers, appUrl, edition });
    const whole = await render(
      createElement(DigestEmail, { date: "2026-06-16", papers, appUrl, webUrl: `${appUrl}/digests/2026-06-16`, unsubscribeUrl: UNSUBSCRIBE_PLACEHOLDER, manageUrl: MANAGE_PLACEHOLDER, edition }),
    );
    const wholeText = toPlainText(whole, { selectors: ["h1", "h2"].map((selector) => ({ selector, options: { uppercase: false } })) });
    expect(assembled.text.replace(/\s+/g, " ").trim()).toBe(wholeText.replace(/\s+/g, " ").trim());
    // The same markup: only the slot's own <div> is left around the papers.
    const [before, after] = normalized(assembled.html).split(/<div>(?=<table[^>]*><tbody><tr><td><h2)/);
    const unwrapped = `${before}${after!.replace(/<\/div>(?=<table[^>]*><tbody><tr><td><p[^>]*>And 12)/, "")}`;
    expect(unwrapped).toBe(normalized(whole));
    expect(assembled.subject).toBe("Your weekly papers, June 10 – 16, 2026: Attention Sinks Emerge from Softmax Normalization in…");
  });

  it("says why each paper is there, escapes what the subscriber typed, and leaves no slot behind", async () => {
    const mail = await renderDigestMail({ date: "2026-06-16", papers, appUrl, edition, blocks: new PaperBlocks() });
    expect(mail.text).toContain("in cs.LG · trending #1 this week");
    expect(mail.html).toContain("by Tomás &lt;b&gt;Ruiz&lt;/b&gt;");
    expect(mail.html).toContain("diffusion &lt;policy&gt;");
    expect(mail.html).not.toContain("<script>");
    for (const slot of ["tp:papers", "tp:rank"]) {
      expect(mail.html).not.toContain(slot);
      expect(mail.text).not.toContain(slot);
    }
    expect(mail.text).toMatch(/^2\. Diffusion Policies/m);
  });

  it("an empty edition says there is nothing new", async () => {
    const mail = await renderDigestMail({ date: "2026-06-16", papers, appUrl, edition: { ...edition, kind: "daily", papers: [], more: [] } });
    expect(mail.subject).toBe("Your papers for June 16, 2026: nothing new");
    expect(mail.text).toContain("Nothing new matched your topics and follows this time.");
  });
});
