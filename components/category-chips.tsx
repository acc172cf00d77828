// A paper's arXiv categories as small chips, primary first.
export function CategoryChips({ categories }: { categories: string[] }) {
  if (categories.length === 0) return null;
  return (
    <ul className="chips" aria-label="Categories">
      {categories.map((category) => (
        <li key={category} className="chip">
          {category}
        </li>
      ))}
    </ul>
  );
}
