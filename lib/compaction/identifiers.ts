import { extractTerms } from "../../services/prompt/terms";

/**
 * The names a coding conversation works with: paths, file names, dotted names, functions,
 * snake_case / camelCase identifiers. The prompt service's protected-term extractor decides what
 * a name is (kinds `path` and `identifier`), so compaction and `npm run bench:agent` judge by the
 * same rule the rest of the pipeline keeps verbatim; a trailing `()` is dropped, names under three
 * characters are not counted.
 */
export function identifiers(text: string): string[] {
	const out = new Set<string>();
	for (const t of extractTerms(text)) {
		if (t.kind !== "path" && t.kind !== "identifier") continue;
		const v = t.text.replace(/\(\)$/, "");
		if (v.length >= 3 && !/^\d/.test(v)) out.add(v);
	}
	return [...out];
}
