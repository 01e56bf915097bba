import { strict as assert } from "node:assert";
import { codeNames, pruneContext, pruneLogs, pruneTrace, stripBoilerplate } from "../../../../services/prompt/prune";

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1)).join("\n");

describe("prompt/prune", () => {
	it("keeps the file the request names whole and drops the others, saying so", () => {
		const named = { path: "src/auth/session.ts", content: "export function login() {\n  return 1;\n}" };
		const other = { path: "src/util/other.ts", content: lines(80, i => `export const x${i} = ${i};`) };
		const r = pruneContext({ files: [named, other] }, "why does login fail in src/auth/session.ts?");
		assert.ok(r.text.includes(named.content));
		assert.ok(!r.text.includes("x40"));
		assert.ok(
			r.dropped.some(d => d.startsWith("context.files src/util/other.ts: not named")),
			r.dropped.join("\n"),
		);
	});

	it("keeps only the lines around an identifier the request names in an unnamed file", () => {
		const content = lines(200, i => (i === 120 ? "function calculateTax(total) { return total * RATE; }" : `const filler${i} = ${i};`));
		const r = pruneContext({ files: [{ path: "src/billing/tax.js", content }] }, "where is `calculateTax` wrong?", { window: 3 });
		assert.ok(r.text.includes("calculateTax(total)"));
		assert.ok(r.text.includes("filler117") && r.text.includes("filler123"));
		assert.ok(!r.text.includes("filler116") && !r.text.includes("filler124") && !r.text.includes("filler1 "));
		assert.ok(r.text.includes("src/billing/tax.js (lines 117-123 of 200)"));
		assert.ok(
			r.dropped.some(d => d.includes("193 of 200 lines dropped")),
			r.dropped.join("\n"),
		);
	});

	it("keeps the whole body of the definition of a named identifier, and only a window around other mentions", () => {
		const body = Array.from({ length: 30 }, (_, i) => `  const step${i} = ${i};`).join("\n");
		const content = [
			lines(50, i => `const before${i} = ${i};`),
			"export function applyDiscount(total: number) {",
			body,
			"  return total;",
			"}",
			lines(50, i => `const after${i} = ${i};`),
			"const y = applyDiscount(3);",
			lines(20, i => `const tail${i} = ${i};`),
		].join("\n");
		const r = pruneContext({ files: [{ path: "src/cart/discount.ts", content }] }, "why does applyDiscount() ignore the total?", { window: 2 });
		assert.ok(r.text.includes(`export function applyDiscount(total: number) {\n${body}\n  return total;\n}`));
		assert.ok(r.text.includes("const y = applyDiscount(3);"));
		assert.ok(!r.text.includes("before10 ") && !r.text.includes("after20 ") && !r.text.includes("tail10 "));
	});

	it("keeps an attached file whole when nothing in the request points anywhere", () => {
		const content = "def dedupe(xs):\n    return list(dict.fromkeys(xs))";
		const r = pruneContext({ files: [{ path: "algo/dedupe.py", content }] }, "whats the time complexity of this");
		assert.ok(r.text.includes(content));
		assert.deepEqual(r.dropped, []);
	});

	it("follows the stack trace into the attached file and drops library frames", () => {
		const content = lines(60, i => (i === 23 ? "  return items.map(render);" : `  line${i}();`));
		const error = [
			"TypeError: Cannot read properties of undefined (reading 'map')",
			"    at ProductList (src/components/ProductList.jsx:23:18)",
			"    at renderWithHooks (node_modules/react-dom/cjs/react-dom.development.js:14985:18)",
			"    at processTicksAndRejections (node:internal/process/task_queues:95:5)",
		].join("\n");
		const r = pruneContext(
			{
				error,
				files: [
					{ path: "src/components/ProductList.jsx", content },
					{ path: "src/App.jsx", content: "export default App;" },
				],
			},
			"the product page crashes",
			{ window: 2 },
		);
		assert.ok(r.text.includes("return items.map(render);"));
		assert.ok(r.text.includes("at ProductList (src/components/ProductList.jsx:23:18)"));
		assert.ok(!r.text.includes("react-dom.development.js"));
		assert.ok(!r.text.includes("export default App;"));
		assert.ok(
			r.dropped.some(d => d === "context.error: 2 library/runtime stack frames omitted"),
			r.dropped.join("\n"),
		);
	});

	it("does not repeat an error line the request already quotes", () => {
		const r = pruneContext(
			{ error: "Error: listen EADDRINUSE: address already in use :::3000\n    at Server.listen (src/server.ts:10:3)" },
			"why Error: listen EADDRINUSE: address already in use :::3000 ?",
		);
		assert.ok(!r.text.includes("address already in use"));
		assert.ok(r.text.includes("src/server.ts:10:3"));
	});

	it("drops lockfiles and duplicates unless named", () => {
		const lock = { path: "package-lock.json", content: '{"lockfileVersion": 3}' };
		const a = { path: "a.ts", content: "export const a = 1;" };
		const r = pruneContext({ files: [a, { ...a }, lock], excerpt: "export const a = 1;" }, "explain this");
		assert.equal(r.text.split("export const a = 1;").length, 2);
		assert.ok(!r.text.includes("lockfileVersion"));
		assert.equal(r.dropped.filter(d => d.includes("duplicate")).length, 2, r.dropped.join("\n"));
		const named = pruneContext({ files: [lock] }, "what is in package-lock.json");
		assert.ok(named.text.includes("lockfileVersion"));
	});

	it("strips license headers and base64 blobs but not code", () => {
		const s = stripBoilerplate(
			`/*\n * Copyright 2024 Acme\n * Licensed under the MIT License\n */\nconst logo = "${"QUJD".repeat(80)}";\n\n\n\nexport {};`,
		);
		assert.equal(s.text, `const logo = "[320 chars of base64]";\n\nexport {};`);
		assert.deepEqual(s.removed, ["license header", "1 base64 blob"]);
	});

	it("keeps each line's trailing blanks: a diff's blank context line, a Makefile variable's value", () => {
		const diff = "--- a/f.py\n+++ b/f.py\n@@ -1,3 +1,3 @@\n def f():\n \n-    return 1\n+    return 2";
		const makefile = "SEP = -   \nall:\n\techo $(SEP)done\t";
		const r = pruneContext({ diff, files: [{ path: "Makefile", content: makefile }] }, "why does the Makefile print this and is the diff right?");
		assert.ok(r.text.includes(diff), JSON.stringify(r.text));
		assert.ok(r.text.includes(makefile), JSON.stringify(r.text));
	});

	it("fences an attached file longer than the code blocks in it, so a README's own ``` does not end it", () => {
		const readme = "# Tool\n\n```sh\nnpm start\n```\n\nThen open the page.";
		const r = pruneContext({ files: [{ path: "README.md", content: readme }] }, "what does README.md say to run?");
		assert.equal(r.text, `README.md:\n\`\`\`\`\n${readme}\n\`\`\`\``);
	});

	it("collapses repeated log lines and keeps errors, named lines and the tail of long logs", () => {
		const log = lines(100, i =>
			i === 50
				? "2024-05-01T10:00:50Z ERROR payment failed for order 7"
				: i === 60
					? "INFO reconcile_batch started"
					: `2024-05-01T10:00:${i}Z INFO heartbeat ok`,
		);
		const r = pruneLogs(log, ["reconcile_batch"], { window: 6, maxLogLines: 40, tailLines: 10 });
		assert.ok(r.text.includes("ERROR payment failed"));
		assert.ok(r.text.includes("reconcile_batch started"));
		assert.ok(r.text.includes("(×98)"), r.text);
		assert.equal(r.total, 100);
	});

	it("keeps the project's frames of Python, Java and Go traces and counts the rest", () => {
		const py = pruneTrace(
			[
				"Traceback (most recent call last):",
				'  File "/app/api/views.py", line 42, in create_order',
				"    order = service.place(payload)",
				'  File "/usr/local/lib/python3.12/site-packages/django/db/transaction.py", line 290, in inner',
				"    return func(*args, **kwds)",
				"TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'",
			].join("\n"),
		);
		assert.equal(
			py.text,
			`Traceback (most recent call last):\n  File "/app/api/views.py", line 42, in create_order\n    order = service.place(payload)\nTypeError: unsupported operand type(s) for +: 'int' and 'NoneType'\n    (1 library/runtime frames omitted)`,
		);
		const java = pruneTrace(
			[
				'java.lang.NullPointerException: Cannot invoke "String.length()"',
				"\tat com.acme.users.UserService.normalize(UserService.java:57)",
				"\tat org.springframework.web.method.support.InvocableHandlerMethod.invoke(InvocableHandlerMethod.java:255)",
				"\tat java.base/java.lang.Thread.run(Thread.java:1583)",
				"\t... 42 more",
			].join("\n"),
		);
		assert.equal(java.omitted, 3);
		assert.ok(java.text.includes("UserService.java:57"));
		const go = pruneTrace(
			[
				"panic: runtime error: index out of range [3] with length 3",
				"",
				"goroutine 1 [running]:",
				"main.pick(...)",
				"\t/home/dev/app/cmd/worker/loop.go:21",
				"runtime.goexit()",
				"\t/usr/local/go/src/runtime/asm_amd64.s:1650 +0x1",
			].join("\n"),
		);
		assert.equal(go.omitted, 1);
		assert.ok(go.text.includes("main.pick(...)\n\t/home/dev/app/cmd/worker/loop.go:21"));
		assert.ok(!go.text.includes("asm_amd64"));
	});

	it("collapses recursive frames in a trace", () => {
		const trace = ["RangeError: Maximum call stack size exceeded", ...Array(5).fill("    at walk (src/tree.ts:4:10)")].join("\n");
		assert.equal(
			pruneTrace(trace).text,
			"RangeError: Maximum call stack size exceeded\n    at walk (src/tree.ts:4:10)\n    (previous frame repeated 4 more times)",
		);
	});

	it("renders {file, excerpt} once under the file's path, scalars as key: value", () => {
		const r = pruneContext({ file: "lib/retry.rb", excerpt: "def x\nend", language: "Ruby", tags: ["a", "b"], meta: { k: 1 } }, "explain");
		assert.equal(r.text, 'lib/retry.rb:\n```\ndef x\nend\n```\nlanguage: Ruby\ntags:\na\nb\nmeta: {"k":1}');
	});

	it("skips malformed attachments with a note instead of failing", () => {
		const r = pruneContext({ files: [{ path: "a.ts" }, null, { path: "b.ts", content: "const b = 1;" }] as never, framework: "Vue" }, "explain b.ts");
		assert.equal(r.text, "b.ts:\n```\nconst b = 1;\n```\nframework: Vue");
		assert.deepEqual(r.dropped, ["context.files[0]: not a {path, content} pair", "context.files[1]: not a {path, content} pair"]);
	});

	it("looks in code for identifiers and paths, not for ordinary names", () => {
		assert.deepEqual(codeNames("Why does Python say parse_config() in tools/cfg.py fails?").sort(), ["cfg.py", "parse_config", "tools/cfg.py"].sort());
	});
});
