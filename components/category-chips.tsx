// A paper's arXiv categories as small chips, primary first, each a link to its topic page.
import Link from "next/link";
import { canonicalCategory, categoryLabel, topicPath } from "@/lib/papers/categories";

export function CategoryChips({ categories }: { categories: string[] }) {
  if (categories.length === 0) return null;
  return (
    <ul className="chips" aria-label="Categories">
      {categories.map((category) => {
        const topic = canonicalCategory(category);
        const label = categoryLabel(category);
        return (
          <li key={category} className="chip">
            {topic ? (
              // A list holds up to ninety chips: no prefetching for links this seldom followed.
              <Link href={topicPath(topic)} title={label} aria-label={label} prefetch={false}>
                {category}
              </Link>
            ) : (
              // A label outside arXiv's taxonomy has no topic page.
              category
            )}
          </li>
        );
      })}
    </ul>
  );
}
