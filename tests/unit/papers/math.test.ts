import { describe, expect, it } from "vitest";
import { splitMath, type TextSegment } from "@/lib/papers/math";

const text = (value: string): TextSegment => ({ kind: "text", text: value });
const inline = (tex: string, source = `$${tex}$`): TextSegment => ({ kind: "math", tex, display: false, source });
const display = (tex: string, source = `$$${tex}$$`): TextSegment => ({ kind: "math", tex, display: true, source });

describe("splitMath", () => {
  it("leaves text without math as one text segment", () => {
    expect(splitMath("A plain abstract.")).toEqual([text("A plain abstract.")]);
    expect(splitMath("")).toEqual([]);
  });

  it("finds inline $...$ math", () => {
    expect(splitMath("runs in $\\mathcal{O}(n^2)$ time")).toEqual([
      text("runs in "),
      inline("\\mathcal{O}(n^2)"),
      text(" time"),
    ]);
  });

  it("finds display $$...$$ math", () => {
    expect(splitMath("We minimise $$\\sum_i x_i^2$$ subject to")).toEqual([
      text("We minimise "),
      display("\\sum_i x_i^2"),
      text(" subject to"),
    ]);
  });

  it("finds \\(...\\) and \\[...\\]", () => {
    expect(splitMath("a \\(x+y\\) b \\[E = mc^2\\] c")).toEqual([
      text("a "),
      inline("x+y", "\\(x+y\\)"),
      text(" b "),
      display("E = mc^2", "\\[E = mc^2\\]"),
      text(" c"),
    ]);
  });

  it("reads \\$ as a literal dollar, outside math", () => {
    expect(splitMath("costs \\$5 per \\$1M tokens")).toEqual([text("costs $5 per $1M tokens")]);
  });

  it("keeps \\$ inside math as TeX, without closing it", () => {
    expect(splitMath("$a \\$ b$")).toEqual([inline("a \\$ b")]);
  });

  it("treats an unbalanced delimiter as plain text", () => {
    expect(splitMath("only one $x here")).toEqual([text("only one $x here")]);
    expect(splitMath("open $$ never closed")).toEqual([text("open $$ never closed")]);
    expect(splitMath("open \\( never closed")).toEqual([text("open \\( never closed")]);
    expect(splitMath("open \\[ never closed")).toEqual([text("open \\[ never closed")]);
    expect(splitMath("a closer \\) alone")).toEqual([text("a closer \\) alone")]);
  });

  it("does not read prices as math (Pandoc's rule)", () => {
    expect(splitMath("between $5 and $10 per run")).toEqual([text("between $5 and $10 per run")]);
    expect(splitMath("a $ b $ c")).toEqual([text("a $ b $ c")]);
  });

  it("closes $ only where the rule allows, so later math still renders", () => {
    expect(splitMath("$5 budget and $x$")).toEqual([text("$5 budget and "), inline("x")]);
  });

  it("keeps other escapes as written, and \\\\ is not an escape of the next delimiter", () => {
    expect(splitMath("50\\% of \\\\(cases)")).toEqual([text("50\\% of \\\\(cases)")]);
  });

  it("treats empty math as text", () => {
    expect(splitMath("$$$$ and \\(\\)")).toEqual([text("$$$$ and \\(\\)")]);
  });

  it("handles several math segments next to each other", () => {
    expect(splitMath("$a$$$b$$\\(c\\)")).toEqual([inline("a"), display("b"), inline("c", "\\(c\\)")]);
  });

  it("keeps markup as text: escaping is React's job, not the splitter's", () => {
    expect(splitMath("<script>alert(1)</script> and $x<y$")).toEqual([
      text("<script>alert(1)</script> and "),
      inline("x<y"),
    ]);
  });

  it("reassembles to the input, apart from escaped dollars", () => {
    const input = "Let $f: \\mathbb{R}^d \\to \\mathbb{R}$ and \\[\\int f\\] cost \\$3; $$ stray";
    const rebuilt = splitMath(input)
      .map((segment) => (segment.kind === "text" ? segment.text : segment.source))
      .join("");
    expect(rebuilt).toBe(input.replace("\\$", "$"));
  });
});
