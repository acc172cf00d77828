// A paper's arXiv / Code / Project page links, for cards, search hits and the paper page. What the
// links are, their order and their rel come from paperLinks; this only decides how they look.
import { GithubStars } from "@/components/github-stars";
import { paperLinks, type LinkedPaper } from "@/lib/papers/links";

// In a list every card has a "Code" link: screen readers hear whose, from the card's title, which
// the links point at (aria-describedby) instead of repeating it in each of them. The paper page is
// about one paper.
type Props = { paper: LinkedPaper; variant: "page" } | { paper: LinkedPaper; variant?: "card"; titleId: string };

export function PaperLinks(props: Props) {
  const { paper } = props;
  return (
    <>
      {paperLinks(paper).map((link) =>
        props.variant === "page" ? (
          <a key={link.kind} className={link.kind === "arxiv" ? "button button-primary" : "button"} href={link.href} rel={link.rel}>
            {link.kind === "arxiv" ? "View on arXiv" : link.label}
            <GithubStars stars={link.stars} />
          </a>
        ) : (
          <a key={link.kind} href={link.href} rel={link.rel} aria-describedby={props.titleId}>
            {link.label}
            <GithubStars stars={link.stars} />
          </a>
        ),
      )}
    </>
  );
}
