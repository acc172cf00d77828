// A paper's arXiv / Code / Project page links, for cards, search hits and the paper page. What the
// links are, their order and their rel come from paperLinks; this only decides how they look.
import { GithubStars } from "@/components/github-stars";
import { paperLinks, type LinkedPaper, type PaperLinkKind } from "@/lib/papers/links";

// In a list every card has a "Code" link: screen readers hear whose. A card whose title has an id
// points its links at it (aria-describedby) instead of repeating the title in each of them, which
// weighed three titles per card. The paper page is about one paper.
const OF_PAPER: Record<PaperLinkKind, string> = { arxiv: "page of", code: "for", project: "for" };

/** A card either names the element holding its title (titleId) or gives the title to repeat. */
type Props = { paper: LinkedPaper & { title: string }; variant?: "card" | "page"; titleId?: undefined } | { paper: LinkedPaper; variant?: "card"; titleId: string };

export function PaperLinks(props: Props) {
  const { paper, variant = "card", titleId } = props;
  return (
    <>
      {paperLinks(paper).map((link) =>
        variant === "page" ? (
          <a key={link.kind} className={link.kind === "arxiv" ? "button button-primary" : "button"} href={link.href} rel={link.rel}>
            {link.kind === "arxiv" ? "View on arXiv" : link.label}
            <GithubStars stars={link.stars} />
          </a>
        ) : (
          <a key={link.kind} href={link.href} rel={link.rel} aria-describedby={titleId}>
            {link.label}
            {props.titleId === undefined && (
              <span className="sr-only">
                {" "}
                {OF_PAPER[link.kind]} {props.paper.title}
              </span>
            )}
            <GithubStars stars={link.stars} />
          </a>
        ),
      )}
    </>
  );
}
