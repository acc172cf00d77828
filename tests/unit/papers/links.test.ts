import { describe, expect, it } from "vitest";
import { ARXIV_REL, paperLinks, SOURCE_REL } from "@/lib/papers/links";

const none = { arxivUrl: null, githubRepo: null, githubStars: null, projectPage: null };

describe("paperLinks", () => {
  it("lists arXiv, Code (with its stars) and Project page, in that order", () => {
    const links = paperLinks({
      projectPage: "https://example.org/project",
      githubRepo: "https://github.com/example/repo",
      githubStars: 2480,
      arxivUrl: "https://arxiv.org/abs/2606.01234",
    });
    expect(links).toEqual([
      { kind: "arxiv", href: "https://arxiv.org/abs/2606.01234", label: "arXiv", rel: ARXIV_REL, stars: null },
      { kind: "code", href: "https://github.com/example/repo", label: "Code", rel: SOURCE_REL, stars: 2480 },
      { kind: "project", href: "https://example.org/project", label: "Project page", rel: SOURCE_REL, stars: null },
    ]);
  });

  it("has one rel policy: never an opener or a referrer, and nofollow on URLs a source gave us", () => {
    expect(ARXIV_REL.split(" ").sort()).toEqual(["noopener", "noreferrer"]);
    expect(SOURCE_REL.split(" ").sort()).toEqual(["nofollow", "noopener", "noreferrer"]);
  });

  it("leaves out what the paper does not have, and code without known stars has none", () => {
    expect(paperLinks(none)).toEqual([]);
    expect(paperLinks({ ...none, githubRepo: "https://github.com/example/repo" })).toMatchObject([{ kind: "code", stars: null }]);
    expect(paperLinks({ ...none, projectPage: "http://example.org/" })).toMatchObject([{ kind: "project", href: "http://example.org/" }]);
  });

  it("never links a URL of another scheme", () => {
    expect(
      paperLinks({ arxivUrl: "javascript:alert(1)", githubRepo: "data:text/html,x", githubStars: 3, projectPage: "ftp://example.org/" }),
    ).toEqual([]);
  });
});
