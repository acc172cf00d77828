import type { Metadata } from "next";
import Link from "next/link";
import { categoryName, OFFERED_CATEGORIES, topicPath, type ArxivCategory } from "@/lib/papers/categories";

export const metadata: Metadata = {
  title: "Topics",
  description: "Trending papers by arXiv category.",
};

// The taxonomy file names categories, not archives; these are arXiv's names for the archives of several categories.
const ARCHIVE_NAMES: Record<string, string> = {
  cs: "Computer Science",
  econ: "Economics",
  eess: "Electrical Engineering and Systems Science",
  math: "Mathematics",
  nlin: "Nonlinear Sciences",
  physics: "Physics",
  "q-fin": "Quantitative Finance",
  stat: "Statistics",
};

type Group = { id: string; name: string; categories: ArxivCategory[] };

/**
 * Active categories by archive, each once under its canonical id (cs.SY is eess.SY's alias, so only
 * eess.SY is listed). Archives of one category (hep-th, quant-ph…) share one group instead of a
 * heading each.
 */
function groupCategories(): Group[] {
  const byArchive = new Map<string, ArxivCategory[]>();
  for (const category of OFFERED_CATEGORIES) {
    byArchive.set(category.archive, [...(byArchive.get(category.archive) ?? []), category]);
  }
  const groups: Group[] = [];
  const single: ArxivCategory[] = [];
  for (const [archive, categories] of byArchive) {
    if (categories.length === 1) single.push(...categories);
    else groups.push({ id: archive, name: ARCHIVE_NAMES[archive] ?? categoryName(archive) ?? archive, categories });
  }
  if (single.length > 0) groups.push({ id: "single", name: "More physics", categories: single });
  return groups;
}

export default function TopicsPage() {
  const groups = groupCategories();
  return (
    <div className="topics">
      <h1 className="page-title">Topics</h1>
      <p className="lead">Trending papers within one arXiv category, by day, week and month.</p>
      <nav aria-label="Topics by archive">
        {groups.map((group) => (
          <section key={group.id} className="topic-group" aria-labelledby={`topics-${group.id}`}>
            <h2 id={`topics-${group.id}`} className="topic-group-title">
              {group.name}
            </h2>
            <ul className="topic-list">
              {group.categories.map((category) => (
                <li key={category.id}>
                  <Link className="topic-link" href={topicPath(category.id)} prefetch={false}>
                    <span className="topic-id">{category.id}</span> <span className="topic-name">{category.name}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </nav>
    </div>
  );
}
