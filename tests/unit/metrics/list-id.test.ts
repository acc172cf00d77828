// The digest list's List-Id (RFC 2919), built from APP_URL's host: always a dot-atom in our namespace.
import { describe, expect, it } from "vitest";
import { digestListId } from "@/lib/subscriptions/subscribe";

describe("the digest's List-Id", () => {
  it("is digest.<host> of APP_URL, with an address or an odd host as digest.localhost", () => {
    expect(
      ["https://papers.example.org", "https://Papers.Example.ORG:8443/base", "http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000", "https://xn--bcher-kva.example/"].map((url) => digestListId(url)),
    ).toEqual([
      "Trending Papers <digest.papers.example.org>",
      "Trending Papers <digest.papers.example.org>",
      "Trending Papers <digest.localhost>",
      "Trending Papers <digest.localhost>",
      "Trending Papers <digest.localhost>",
      "Trending Papers <digest.xn--bcher-kva.example>",
    ]);
  });

  it("has an id that is a dot-atom", () => {
    const id = /<(.*)>$/.exec(digestListId("https://a-b.c1.example"))?.[1];
    expect(id).toMatch(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/);
  });
});
