import { strict as assert } from "node:assert";
import { definitionTest, enclosingFinder } from "../../../mcp-servers/workspace-search";

/** The enclosing name of every line of `code` that contains `needle`. */
function within(file: string, code: string, needle = "deprecated_send"): string[] {
	const find = enclosingFinder(file);
	assert.ok(find, file);
	const lines = code.split("\n");
	return lines.flatMap((l, i) => (l.includes(needle) ? [find(lines, i)] : []));
}

describe("workspace-search enclosingFinder", () => {
	it("names the Python function a call is in, past nested functions that closed, or top level", () => {
		const code = [
			"import x",
			"deprecated_send('boot')",
			"class Mailer:",
			"    def notify(self, user):",
			"        def fmt(m):",
			"            return m.strip()",
			"        if user:",
			"            # deprecated_send in a comment still counts as a match line",
			"            deprecated_send(fmt(user.email))",
			"        else:",
			"            deprecated_send(",
			"                None)",
			"",
			"    retries = deprecated_send",
			"",
			"async def main():",
			"    await deprecated_send()",
			"def quick(): return deprecated_send()  # one line",
			"def deprecated_send(msg=None):",
		].join("\n");
		assert.deepEqual(within("mail.py", code), ["top level", "notify", "notify", "notify", "Mailer", "main", "quick", "top level"]);
	});

	it("names the JS/TS function, method or arrow function a call is in, not an if block or a callback", () => {
		const code = [
			"export class Api {",
			"  async send(msg: string): Promise<void> {",
			"    if (msg) {",
			"      items.forEach(item => {",
			"        deprecated_send(item);",
			"      });",
			"    }",
			"  }",
			"}",
			"const retry = async (n: number) => {",
			"  for (const i of range(n)) {",
			"    deprecated_send(i);",
			"  }",
			"};",
			"export function boot() {",
			"  function helper() {",
			"    return 1;",
			"  }",
			"  deprecated_send(helper());",
			"}",
			"deprecated_send();",
			"export const quick = (m: string) => deprecated_send(m); // one line",
			"export function deprecated_send(m?: unknown) {",
		].join("\n");
		assert.deepEqual(within("api.ts", code), ["send", "retry", "boot", "top level", "quick", "top level"]);
	});

	it("names Go funcs, including methods on a receiver", () => {
		const code = [
			"package mail",
			"",
			"func (m *Mailer) Notify(u User) error {",
			"\tif u.OK {",
			"\t\treturn deprecated_send(u)",
			"\t}",
			"\treturn nil",
			"}",
		].join("\n");
		assert.deepEqual(within("mail.go", code), ["Notify"]);
	});

	it("does not take an imported or re-exported type name for a type declaration", () => {
		const code = ['import { cheapestLive, type CatalogEntry } from "./pricing";', "export type { CatalogEntry };", "const x: CatalogEntry = make();"].join(
			"\n",
		);
		assert.deepEqual(within("mixin.ts", code, "CatalogEntry"), ["top level", "top level", "top level"]);
		const isDefinition = definitionTest("pricing.ts", "CatalogEntry")!;
		assert.equal(isDefinition('import { cheapestLive, type CatalogEntry } from "./pricing";'), false);
		assert.equal(isDefinition("export type { CatalogEntry };"), false);
		assert.equal(isDefinition("export type CatalogEntry = { id: string };"), true);
		assert.equal(isDefinition("type CatalogEntry<T> = Entry<T>;"), true);
		assert.equal(isDefinition("export interface CatalogEntry {"), true);
	});

	it("knows no enclosing function for languages it has no patterns for", () => {
		assert.equal(enclosingFinder("notes.md"), null);
		assert.equal(enclosingFinder("app.rb"), null);
	});
});
