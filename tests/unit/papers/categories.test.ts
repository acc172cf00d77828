import { describe, expect, it } from "vitest";
import {
  ACTIVE_CATEGORIES,
  CATEGORIES,
  canonicalCategory,
  categoryLabel,
  categoryName,
  isKnownCategory,
  topicPath,
} from "@/lib/papers/categories";
import taxonomy from "@/lib/papers/arxiv-categories.json";

describe("CATEGORIES", () => {
  it("holds every category of the file, in its four fields", () => {
    expect(CATEGORIES).toHaveLength(taxonomy.categories.length);
    expect(CATEGORIES.find((category) => category.id === "cs.RO")).toEqual({ id: "cs.RO", name: "Robotics", archive: "cs", active: true });
    expect(CATEGORIES.find((category) => category.id === "cmp-lg")).toEqual({ id: "cmp-lg", name: "Computation and Language", archive: "cmp-lg", active: false });
  });

  it("has no two ids that differ only in case, so any case can be read back", () => {
    const lower = new Set(CATEGORIES.map((category) => category.id.toLowerCase()));
    expect(lower.size).toBe(CATEGORIES.length);
  });
});

describe("ACTIVE_CATEGORIES", () => {
  it("offers only active categories, sorted by id", () => {
    const ids = ACTIVE_CATEGORIES.map((category) => category.id);
    expect(ACTIVE_CATEGORIES.every((category) => category.active)).toBe(true);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain("cs.RO");
    expect(ids).not.toContain("cmp-lg");
    expect(ids).toHaveLength(CATEGORIES.filter((category) => category.active).length);
  });
});

describe("canonicalCategory", () => {
  it("returns an exact id as it is", () => {
    expect(canonicalCategory("cs.RO")).toBe("cs.RO");
    expect(canonicalCategory("hep-th")).toBe("hep-th");
    expect(canonicalCategory("cond-mat.mes-hall")).toBe("cond-mat.mes-hall");
  });

  it("accepts any case and surrounding spaces, and answers with arXiv's spelling", () => {
    expect(canonicalCategory("CS.ro")).toBe("cs.RO");
    expect(canonicalCategory("  cs.lg\n")).toBe("cs.LG");
    expect(canonicalCategory("HEP-TH")).toBe("hep-th");
  });

  it("resolves the top-level aliases to the id they stand for", () => {
    expect(canonicalCategory("cs.SY")).toBe("eess.SY");
    expect(canonicalCategory("cs.NA")).toBe("math.NA");
    expect(canonicalCategory("math.IT")).toBe("cs.IT");
    expect(canonicalCategory("math.MP")).toBe("math-ph");
    expect(canonicalCategory("stat.TH")).toBe("math.ST");
    expect(canonicalCategory("q-fin.EC")).toBe("econ.GN");
    expect(canonicalCategory("CS.sy")).toBe("eess.SY");
  });

  it("keeps the canonical side of each alias pair, although its own alias field points back", () => {
    expect(canonicalCategory("eess.SY")).toBe("eess.SY");
    expect(canonicalCategory("cs.IT")).toBe("cs.IT");
    expect(canonicalCategory("math-ph")).toBe("math-ph");
    expect(canonicalCategory("cs.CL")).toBe("cs.CL");
    expect(canonicalCategory("math.AG")).toBe("math.AG");
  });

  it("resolves a retired category to the active one its alias names", () => {
    expect(canonicalCategory("cmp-lg")).toBe("cs.CL");
    expect(canonicalCategory("alg-geom")).toBe("math.AG");
    expect(canonicalCategory("mtrl-th")).toBe("cond-mat.mtrl-sci");
    expect(canonicalCategory("Solv-Int")).toBe("nlin.SI");
  });

  it("keeps a retired category that has no successor (old papers carry it)", () => {
    expect(canonicalCategory("astro-ph")).toBe("astro-ph");
    expect(canonicalCategory("cond-mat")).toBe("cond-mat");
  });

  it("lands every known id on an id that is its own canonical form", () => {
    for (const { id } of CATEGORIES) {
      const canonical = canonicalCategory(id);
      expect(canonical, id).not.toBeNull();
      expect(canonicalCategory(canonical!), id).toBe(canonical);
    }
  });

  it("returns null for what is not a category", () => {
    for (const input of ["", "   ", "cs", "cs.XX", "cs.RO.x", "robotics", "cs RO", "cs.RO/../x"]) {
      expect(canonicalCategory(input), JSON.stringify(input)).toBeNull();
    }
  });
});

describe("isKnownCategory", () => {
  it("is true for ids and aliases in any case, false otherwise", () => {
    expect(isKnownCategory("cs.RO")).toBe(true);
    expect(isKnownCategory("cs.ro")).toBe(true);
    expect(isKnownCategory("cs.SY")).toBe(true);
    expect(isKnownCategory("cmp-lg")).toBe(true);
    expect(isKnownCategory("cs.XX")).toBe(false);
    expect(isKnownCategory("")).toBe(false);
  });
});

describe("categoryName and categoryLabel", () => {
  it("name a known id", () => {
    expect(categoryName("cs.RO")).toBe("Robotics");
    expect(categoryName("eess.SY")).toBe("Systems and Control");
    expect(categoryLabel("cs.RO")).toBe("cs.RO: Robotics");
    expect(categoryLabel("hep-th")).toBe("hep-th: High Energy Physics - Theory");
  });

  it("label an unknown id as itself, with no name", () => {
    expect(categoryName("cs.XX")).toBeNull();
    expect(categoryLabel("cs.XX")).toBe("cs.XX");
  });
});

describe("topicPath", () => {
  it("is the topic page of an id", () => {
    expect(topicPath("cs.RO")).toBe("/topics/cs.RO");
    expect(topicPath("cond-mat.mes-hall")).toBe("/topics/cond-mat.mes-hall");
  });
});
