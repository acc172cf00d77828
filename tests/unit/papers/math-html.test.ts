// Math in titles on trending cards: rendered on the server as MathML, the rest left as text for React to escape.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { HighlightedText } from "@/components/highlighted-text";
import { MathParts } from "@/components/math-parts";
import { markedMath, mathParts, mathPartsIfAny, previewWithMath } from "@/lib/papers/math-html";
import { abstractPreview } from "@/lib/papers/format";
import { toCardPaper } from "@/lib/papers/present";
import type { TrendingItem } from "@/lib/papers/types";

function item(title: string): TrendingItem {
  return {
    id: "2606.01234",
    title,
    abstract: "An abstract.",
    authors: ["Ada Lovelace"],
    categories: ["math.KT"],
    publishedAt: null,
    listedAt: "2026-06-16",
    votes: 3,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    url: "https://papers.example.org/papers/2606.01234",
    arxivUrl: "https://arxiv.org/abs/2606.01234",
    rank: 1,
    score: 1,
    scoreReason: "3 votes",
  };
}

describe("a card's title", () => {
  it("carries no math parts when it has no math (the usual title)", () => {
    const card = toCardPaper(item("Attention Is All You Need, for $5"));
    expect(card).not.toHaveProperty("titleMath");
    expect(card.title).toBe("Attention Is All You Need, for $5");
  });

  it("carries its formulas as MathML and the rest as text", () => {
    const card = toCardPaper(item("$K$-theory of $\\mathcal{O}(n)$ spaces"));
    expect(card.titleMath).toEqual([
      { html: expect.stringContaining("<mi>K</mi>"), display: false },
      { text: "-theory of " },
      { html: expect.stringMatching(/^<span class="katex"><math[^>]*>.*<mi mathvariant="script">O<\/mi>/), display: false },
      { text: " spaces" },
    ]);
    // MathML only: no KaTeX layout markup, which would need its stylesheet on every list.
    expect(JSON.stringify(card.titleMath)).not.toContain("katex-html");
    // The title itself stays as written (votes' labels, feeds and the API use it).
    expect(card.title).toBe("$K$-theory of $\\mathcal{O}(n)$ spaces");
  });

  it("never lets a title inject markup: text is escaped, and TeX links are not rendered", () => {
    const parts = mathPartsIfAny('<img src=x onerror="alert(1)"> $x$ $\\href{javascript:alert(1)}{y}$ </a><script>alert(2)</script>');
    expect(parts).toBeDefined();
    const html = renderToStaticMarkup(createElement(MathParts, { parts: parts! }));
    expect(html).not.toMatch(/<img|<script|<\/a>/);
    expect(html).toContain("&lt;img src=x");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).not.toContain("href=");
    expect(html).toContain("<mi>x</mi>");
  });

  it("sets display formulas inline: a title is one line of a link, with no scrolling box or tab stop of its own", () => {
    const parts = mathPartsIfAny("Bounds $$\\sum_i x_i$$ and \\[y\\] here");
    expect(parts?.filter((part) => "html" in part)).toEqual([
      { html: expect.not.stringContaining('display="block"'), display: false },
      { html: expect.not.stringContaining('display="block"'), display: false },
    ]);
    const html = renderToStaticMarkup(createElement(MathParts, { parts: parts! }));
    expect(html).not.toContain("tabindex");
    // The paper page keeps them as display formulas.
    expect(mathParts("Bounds $$\\sum_i x_i$$").find((part) => "html" in part)).toMatchObject({ display: true });
  });

  it("shows a formula KaTeX cannot parse as its source, marked, as the paper page does", () => {
    const parts = mathPartsIfAny("Broken $x^{<b>$ only");
    expect(parts?.[1]).toEqual({ html: expect.stringMatching(/^<span class="katex-error"[^>]*>x\^\{&lt;b&gt;<\/span>$/), display: false });
    // A lone dollar is no formula at all.
    expect(mathParts("Costs $5 a month", "mathml")).toEqual([{ text: "Costs $5 a month" }]);
  });
});

describe("a card's abstract preview", () => {
  it("carries no math parts when the preview has none", () => {
    expect(previewWithMath("We study graphs.\n\nIt costs $5 per run.")).toEqual({ preview: "We study graphs. It costs $5 per run." });
    expect(toCardPaper(item("A title"))).not.toHaveProperty("abstractMath");
  });

  it("renders the formulas that fit whole, and cuts the text after them at a word", () => {
    const abstract = `Attention costs $\\mathcal{O}(n^2)$ in the length $n$. ${"We replace it with a sketch. ".repeat(3)}Then $x$ holds.`;
    const { preview, math } = previewWithMath(abstract, 120);
    // The plain preview is cut as before.
    expect(preview).toBe(abstractPreview(abstract, 120));
    expect(math?.map((part) => ("text" in part ? part.text : "formula"))).toEqual([
      "Attention costs ",
      "formula",
      " in the length ",
      "formula",
      ". We replace it with a sketch. We replace it with a sketch. We…",
    ]);
    const html = renderToStaticMarkup(createElement(MathParts, { parts: math! }));
    expect(html).not.toContain("$");
    expect(html).toContain("<mi>n</mi>");
  });

  it("keeps the space between a formula and the words cut after it", () => {
    const { math } = previewWithMath(`Costs $n$ ${"and more words ".repeat(10)}`, 40);
    expect(math?.map((part) => ("text" in part ? part.text : "formula"))).toEqual(["Costs ", "formula", " and more words and more words…"]);
  });

  it("leaves out a formula the cut would split, rather than show half its TeX", () => {
    const { math } = previewWithMath("Costs $\\mathcal{O}(n^2)$ here. Then $$\\left\\| A - \\hat{A} \\right\\|_F \\le \\varepsilon$$ holds.", 60);
    expect(math?.map((part) => ("text" in part ? part.text : "formula"))).toEqual(["Costs ", "formula", " here. Then ", "…"]);
  });

  it("escapes the text around the formulas", () => {
    const { math } = previewWithMath("<img src=x onerror=alert(1)> and $x$ and <b>bold</b>");
    const html = renderToStaticMarkup(createElement(MathParts, { parts: math! }));
    expect(html).not.toMatch(/<img|<b>/);
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
  });
});

describe("a search hit's highlighted text with math", () => {
  const html = (runs: string[]) => renderToStaticMarkup(createElement(HighlightedText, { runs, math: markedMath(runs) }));

  it("leaves text without math to the runs", () => {
    expect(markedMath(["", "Diffusion", " models cost $5 and $10"])).toBeUndefined();
  });

  it("sets whole formulas as MathML and keeps each highlight on its own characters", () => {
    const parts = markedMath(["Bounds of ", "order", " $O(n^2)$ for ", "attention", " heads"])!;
    expect(parts.map((part) => ("text" in part ? [part.text, part.marked] : ["<math>", part.marked]))).toEqual([
      ["Bounds of ", false],
      ["order", true],
      [" ", false],
      ["<math>", false],
      [" for ", false],
      ["attention", true],
      [" heads", false],
    ]);
    const formula = parts.find((part) => "html" in part) as { html: string };
    expect(formula.html).toContain("<math");
    expect(formula.html).not.toContain("katex-html");
    expect(html(["Bounds of ", "order", " $O(n^2)$"])).toMatch(/^Bounds of <mark>order<\/mark> <span class="math"><span class="katex"><math/);
  });

  it("marks a formula any of whose characters matched, and leaves a formula a crop cut as text", () => {
    const parts = markedMath(["scaling as $", "\\alpha", "$ grows; …the rest: \\beta$ here"])!;
    expect(parts[1]).toMatchObject({ marked: true });
    expect("html" in parts[1]!).toBe(true);
    expect(parts.at(-1)).toEqual({ text: " grows; …the rest: \\beta$ here", marked: false });
  });

  it("shows an escaped dollar as one and keeps the highlights after it in place", () => {
    const parts = markedMath(["costs \\$3 per ", "token", " with $k$ heads"])!;
    expect(parts.slice(0, 3)).toEqual([
      { text: "costs $3 per ", marked: false },
      { text: "token", marked: true },
      { text: " with ", marked: false },
    ]);
    expect("html" in parts[3]!).toBe(true);
    expect(parts[4]).toEqual({ text: " heads", marked: false });
  });

  it("escapes the text around formulas, and KaTeX escapes what is in them", () => {
    const markup = html(["<img src=x onerror=alert(1)> ", "$x<y$", " & <b>bold</b>"]);
    expect(markup).not.toContain("<img");
    expect(markup).not.toContain("<b>");
    expect(markup).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(markup).toContain("<mark><span class=\"math\">");
  });
});

describe("a search excerpt a crop cut inside a formula", () => {
  const shown = (runs: string[], cropped = true) => markedMath(runs, { cropped })?.map((part) => ("text" in part ? part.text : "[math]")).join("");

  it("ends with the crop's ellipsis where the cut formula began", () => {
    expect(shown(["We prove ", "bounds", " $x$ and $$\\left\\|\\mathrm{softmax}(QK^\\top)…"])).toBe("We prove bounds [math] and…");
    expect(shown(["the loss is \\(\\sum_i \\ell…"])).toBe("the loss is…");
  });

  it("starts with it where the cut formula ended", () => {
    expect(shown(["…\\right\\|_F \\le \\varepsilon$ for all ", "inputs", " and $n$."])).toBe("… for all inputs and [math].");
    expect(shown(["…x^2 \\]", " holds"])).toBe("… holds");
    // Both ends in one stretch of text, the closing one looking like an opening too.
    expect(shown(["…\\alpha_1$x then $$y^2…"])).toBe("…x then…");
  });

  it("leaves prices, dollars that are no TeX, whole formulas and titles as they are", () => {
    expect(shown(["…it costs $5 and $10 per run…"])).toBeUndefined();
    expect(shown(["…the project raised US$ 20 million for ", "training"])).toBeUndefined();
    expect(shown(["…store it in $HOME and set PATH…"])).toBeUndefined();
    expect(shown(["…costs about 5$ per hour…"])).toBeUndefined();
    expect(shown(["…with $k$ heads…"])).toBe("…with [math] heads…");
    // A title is never cropped: an ellipsis in it is the author's.
    expect(shown(["…and $$\\beta^2 …"], false)).toBeUndefined();
  });

  it("never removes a highlighted word, and keeps the highlights of what is left", () => {
    // Left to the runs, as written.
    expect(shown(["…we pay ", "$\\alpha_{.5}", " per query and more…"])).toBeUndefined();
    const parts = markedMath(["…\\alpha$ then ", "attention", " $$\\beta…"], { cropped: true })!;
    expect(parts).toEqual([
      { text: "… then ", marked: false },
      { text: "attention", marked: true },
      { text: "…", marked: false },
    ]);
  });
});

describe("an escaped dollar without any math", () => {
  it("shows as one dollar in a title, a card's preview and a search hit alike", () => {
    expect(mathPartsIfAny("Pay \\$5 per run")).toEqual([{ text: "Pay $5 per run" }]);
    expect(previewWithMath("It costs \\$5 per run.").math).toEqual([{ text: "It costs $5 per run." }]);
    expect(markedMath(["costs \\$5 per ", "run"])).toEqual([
      { text: "costs $5 per ", marked: false },
      { text: "run", marked: true },
    ]);
    expect(mathPartsIfAny("Costs $5 and $10")).toBeUndefined();
  });
});

describe("an escaped dollar next to a crop", () => {
  it("is no formula's end, and its highlight holds when it falls inside the escape", () => {
    expect(markedMath(["…it costs \\$5 with $k$ heads…"], { cropped: true })?.map((part) => ("text" in part ? part.text : "[math]")).join("")).toBe("…it costs $5 with [math] heads…");
    expect(markedMath(["pay \\", "$5", " for $x$"])?.[1]).toEqual({ text: "$5", marked: true });
  });
});
