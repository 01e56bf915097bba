/** find_definition: where an identifier is declared, by the language tables' declaration patterns. */
import { stat } from "node:fs/promises";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { definitionTest, DEFINITION_GLOB } from "../languages";
import { LIMITS } from "../limits";
import { answering, listing, READ_ONLY, resultShape } from "../results";
import { lineTest, scan, type LineMatcher } from "../scan";
import type { Workspace } from "../workspace";

/** The arguments of find_definition; each field's description is what the model reads. */
export const FindDefinitionSchema = z.object({
	name: z
		.string()
		.regex(/^[A-Za-z_$][\w$]*$/, "name must be a single identifier (letters, digits, _ or $)")
		.max(200)
		.describe("The identifier, e.g. calculateTax or UserService"),
	path: z.string().optional().describe("File or folder to search, relative to the workspace root; default the whole workspace"),
	max_results: z.number().int().min(1).max(LIMITS.max_results).optional().describe(`Most definitions to return; default ${LIMITS.default_results}`),
});

const config = {
	title: "Find a definition",
	description:
		"Find where an identifier is defined (function, class, interface, type, const/let/var, def, func, struct, trait, fn...) in JS/TS, Python, Go, Java/Kotlin/C#, and Rust files, " +
		"by declaration patterns (no type analysis): results are candidate `file:line: text` lines.",
	inputSchema: FindDefinitionSchema.shape,
	outputSchema: resultShape,
	annotations: READ_ONLY,
};

export function registerFindDefinitionTool(server: McpServer, { roots, start }: Workspace): void {
	server.registerTool(
		"find_definition",
		config,
		answering(async ({ name, path, max_results }) => {
			const from = await start(path);
			const glob = (await stat(from)).isFile() ? undefined : DEFINITION_GLOB;
			const match: LineMatcher = (lines, file) => {
				const test = definitionTest(file, name);
				return test ? lineTest(test)(lines, file) : [];
			};
			const max = max_results ?? LIMITS.default_results;
			const res = await scan(from, roots, match, max, { glob });
			return { content: [{ type: "text", text: listing(res.matches, res, max, "definitions") }], structuredContent: { ...res } };
		}),
	);
}
