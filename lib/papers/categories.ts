// arXiv's category taxonomy (lib/papers/arxiv-categories.json, from arXiv/arxiv-base): which ids
// exist, their names, and which id an alias stands for. Pure data, so client components import it too.
import taxonomy from "./arxiv-categories.json";

export type ArxivCategory = { id: string; name: string; archive: string; active: boolean };

export const CATEGORIES: readonly ArxivCategory[] = taxonomy.categories.map(({ id, name, archive, active }) => ({ id, name, archive, active }));

/** What a category picker offers: the categories arXiv still files papers under, by id. */
export const ACTIVE_CATEGORIES: readonly ArxivCategory[] = CATEGORIES.filter((category) => category.active).sort((a, b) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);

const BY_ID = new Map(CATEGORIES.map((category) => [category.id, category]));
const BY_LOWER_ID = new Map(CATEGORIES.map((category) => [category.id.toLowerCase(), category]));

/**
 * Alias -> canonical id. The file's per-category "alias" links both ways (cs.SY names eess.SY and
 * eess.SY names cs.SY), so the direction comes from two rules, as in arxiv-base:
 * - the top-level "aliases" map (arxiv-base CATEGORY_ALIASES) lists pairs of active categories, the
 *   alias first: cs.SY -> eess.SY, cs.NA -> math.NA, math.IT -> cs.IT, math.MP -> math-ph,
 *   stat.TH -> math.ST, q-fin.EC -> econ.GN;
 * - an inactive (retired) category stands for the active one its "alias" names: cmp-lg -> cs.CL,
 *   alg-geom -> math.AG. An active category's "alias" only points back at its retired name.
 */
const CANONICAL = new Map<string, string>();
for (const category of taxonomy.categories) {
  const alias = "alias" in category ? category.alias : undefined;
  const target = alias ? BY_ID.get(alias) : undefined;
  if (!category.active && target?.active) CANONICAL.set(category.id, target.id);
}
for (const [alias, canonical] of Object.entries(taxonomy.aliases)) CANONICAL.set(alias, canonical);

/** The id as arXiv spells it, in any case and with spaces around ("CS.ro " -> "cs.RO"); aliases resolve; null when unknown. */
export function canonicalCategory(input: string): string | null {
  const category = BY_LOWER_ID.get(input.trim().toLowerCase());
  if (!category) return null;
  return CANONICAL.get(category.id) ?? category.id;
}

/** What pickers and the topics index offer: the active categories, each once under its canonical id (cs.SY is eess.SY's alias). */
export const OFFERED_CATEGORIES: readonly ArxivCategory[] = ACTIVE_CATEGORIES.filter((category) => canonicalCategory(category.id) === category.id);

/** Each canonical id's aliases (eess.SY: cs.SY; cs.CL: cmp-lg). */
const ALIASES = new Map<string, string[]>();
for (const { id } of CATEGORIES) {
  const canonical = canonicalCategory(id);
  if (canonical && canonical !== id) ALIASES.set(canonical, [...(ALIASES.get(canonical) ?? []), id]);
}

/**
 * The ids a paper of `category` may be tagged with: arXiv's id and its aliases (eess.SY, cs.SY). An
 * id the taxonomy does not know is only itself.
 */
export function categoryIds(category: string): string[] {
  const canonical = canonicalCategory(category);
  return canonical ? [canonical, ...(ALIASES.get(canonical) ?? [])] : [category];
}

export function isKnownCategory(input: string): boolean {
  return canonicalCategory(input) !== null;
}

/** "Robotics" for "cs.RO" (exact ids only; aliases keep their own names). */
export function categoryName(id: string): string | null {
  return BY_ID.get(id)?.name ?? null;
}

/** "cs.RO: Robotics"; an id the taxonomy does not know labels as itself. */
export function categoryLabel(id: string): string {
  const name = categoryName(id);
  return name ? `${id}: ${name}` : id;
}

/** "/topics/cs.RO": the category's trending page. */
export function topicPath(id: string): string {
  return `/topics/${encodeURIComponent(id)}`;
}
