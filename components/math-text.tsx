// Text with LaTeX math: plain parts stay React text (escaped), math parts become KaTeX markup on the server.
import { MathParts } from "@/components/math-parts";
import { mathParts } from "@/lib/papers/math-html";

export function MathText({ text }: { text: string }) {
  return <MathParts parts={mathParts(text)} />;
}
