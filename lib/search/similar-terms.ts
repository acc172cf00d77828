// Chooses the words a "similar papers" query is made of: a paper's distinctive title, keyword and abstract words (pure).
import { splitMath } from "@/lib/papers/math";

export type TermSource = { title: string; abstract: string; keywords: string[] };

/** Meilisearch reads only the first 10 words of a query and ignores the rest. */
export const MAX_SIMILAR_TERMS = 10;

// A title word says more about a paper than a keyword, and a keyword more than one use in the abstract.
const WEIGHTS = { title: 3, keywords: 2, abstract: 1 } as const;

const MIN_LENGTH = 3;

// Function words, and the words nearly every abstract uses: they match everything, so they say nothing.
const COMMON = new Set(
  `about above across after again against all along also although among and another any are around because been before
  being below between both but can cannot could did does doing done down during each either else even ever every few for
  from further had has have having her here hers him his how however into its itself just less may might more most much
  must nor not now off once one only onto other others our ours out over own per rather same she should since some such
  than that the their theirs them then there therefore these they this those though three through thus too two under
  until upon very via was were what when where whether which while who whom whose why will with within without would yet
  you your able achieve achieved achieves achieving address addresses allow allows approach approaches available
  based benchmark benchmarks better best challenge challenges challenging code compared comparison consistently
  demonstrate demonstrates demonstrated design designed different effective effectively efficient efficiently enable
  enables existing experiment experiments experimental extensive finally first framework frameworks furthermore github
  given high https http improve improved improvement improvements improves include includes including introduce
  introduced introduces key large learning leverage leverages leveraging low make makes many method methods model models
  moreover new novel often outperform outperforming outperforms paper papers performance present presents previous prior
  problem problems propose proposed proposes provide provides real recent recently remain remains respectively result
  results several show shown shows significant significantly simple state strong studies study task tasks use used uses
  using various well work works www`.split(/\s+/),
);

/** Lower-case words of plain text: math, commands and links are not words a reader would search for. */
function words(text: string): string[] {
  const plain = splitMath(text)
    .map((segment) => (segment.kind === "text" ? segment.text : " "))
    .join(" ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\\[A-Za-z]+/g, " ");
  return (plain.toLowerCase().match(/\p{L}+/gu) ?? []).filter((word) => word.length >= MIN_LENGTH && !COMMON.has(word));
}

/** "transformers" and "transformer" count as one word (a crude plural fold, enough for ranking). */
function stem(word: string): string {
  return word.length > 4 && word.endsWith("s") && !/(ss|us|is)$/.test(word) ? word.slice(0, -1) : word;
}

/**
 * At most `max` words, most telling first: a word scores its weight for each use in the title,
 * the keywords and the abstract, so the paper's subject (named in the title, repeated in the
 * abstract) leads. Ties keep the order of first use. Each word is given as first written.
 */
export function chooseSimilarTerms(source: TermSource, max = MAX_SIMILAR_TERMS): string[] {
  const scores = new Map<string, { word: string; score: number; order: number }>();
  const add = (text: string, weight: number) => {
    for (const word of words(text)) {
      const key = stem(word);
      const entry = scores.get(key);
      if (entry) entry.score += weight;
      else scores.set(key, { word, score: weight, order: scores.size });
    }
  };
  add(source.title, WEIGHTS.title);
  for (const keyword of source.keywords) add(keyword, WEIGHTS.keywords);
  add(source.abstract, WEIGHTS.abstract);
  return [...scores.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, Math.max(0, max))
    .map((entry) => entry.word);
}

/**
 * Whether the words the engine marked in a hit include one of the terms itself (or a plural or a
 * longer form: "transformers" for "transformer"), not only a typo of one ("favor" for "flavor").
 */
export function sharesTerm(matchedWords: string[], terms: string[]): boolean {
  const stems = terms.map((term) => stem(term.toLowerCase()));
  return matchedWords.some((word) => {
    const matched = stem(word.toLowerCase());
    return stems.some((term) => matched.startsWith(term) || term.startsWith(matched));
  });
}
