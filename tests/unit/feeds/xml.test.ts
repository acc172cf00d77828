import { describe, expect, it } from "vitest";
import { cleanText, escapeXml, textToHtml } from "@/lib/feeds/xml";

describe("cleanText", () => {
  it("drops the control characters XML 1.0 cannot carry and keeps tab, line breaks and the rest of Unicode", () => {
    expect(cleanText("a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg")).toBe("abcdefg");
    expect(cleanText("tab\there\nline\r\nend")).toBe("tab\there\nline\r\nend");
    expect(cleanText("DEL\u007F C1\u0085\u009F")).toBe("DEL C1");
    expect(cleanText("Schrödinger — α ≤ β 数学 😀 \u00A0")).toBe("Schrödinger — α ≤ β 数学 😀 \u00A0");
  });

  it("drops unpaired surrogates and the non-characters U+FFFE and U+FFFF, keeping paired ones", () => {
    expect(cleanText("x\uD800y\uDC00z")).toBe("xyz");
    expect(cleanText("a\uFFFEb\uFFFFc")).toBe("abc");
    expect(cleanText("\uD83D\uDE00")).toBe("😀");
  });
});

describe("escapeXml", () => {
  it("escapes every XML special character, so no markup and no CDATA end survives", () => {
    expect(escapeXml(`<script>alert("x")</script> & 'y' ]]>`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos; ]]&gt;",
    );
  });

  it("escapes an ampersand that already looks like an entity", () => {
    expect(escapeXml("&amp; &#60;")).toBe("&amp;amp; &amp;#60;");
  });
});

describe("textToHtml", () => {
  it("makes plain text an HTML fragment that shows the same text", () => {
    expect(textToHtml(`a < b & "c" 'd'`)).toBe("a &lt; b &amp; &quot;c&quot; &#39;d&#39;");
  });
});
