// GET /api/search (lib/api/search.ts). Under `npm start` the web server answers it directly.
import { preflight } from "@/lib/api/public";
import { searchGet } from "@/lib/api/search";

export const dynamic = "force-dynamic";

export const GET = searchGet;

export const OPTIONS = preflight;
