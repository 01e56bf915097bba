import { strict as assert } from "node:assert";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../../lib/config";
import { countCallTokens, countMessageTokens, countTokens, MESSAGE_OVERHEAD_TOKENS } from "../../../lib/tokens";
import { liveHeap } from "../../helpers";

describe("lib/tokens", () => {
	const reference = new Tiktoken(o200k);

	it("counts a call as sent: system and messages framed, tool calls and tool definitions as their JSON text", () => {
		const messages = [
			{ role: "user", content: "read src/a.ts" },
			{ role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "read", arguments: '{"path":"src/a.ts"}' } }] },
		];
		const tools = [{ type: "function", function: { name: "read", parameters: { type: "object" } } }];
		const framed = countMessageTokens([{ role: "system", content: "be brief" }, ...messages]);
		assert.equal(countCallTokens({ system: "be brief", messages }), framed + countTokens(JSON.stringify(messages[1].tool_calls)));
		assert.equal(
			countCallTokens({ system: "be brief", messages, tools }),
			countCallTokens({ system: "be brief", messages }) + countTokens(JSON.stringify(tools)),
		);
		assert.equal(countCallTokens({ messages: [messages[0]] }), countMessageTokens([messages[0]]));
	});

	it("counts ordinary text exactly as o200k_base does", () => {
		for (const text of ["hello world", "Show me src/auth/session.ts, please.", "const x = [1, 2, 3].map(n => n * 2);\n// done"]) {
			assert.equal(countTokens(text), reference.encode(text).length, text);
		}
		assert.equal(countTokens(""), 0);
	});

	it("counts a special token's spelling typed into a request as plain text, as a vendor does, instead of throwing", () => {
		for (const text of ["hello <|endoftext|> world", "<|endofprompt|>", "a <|endoftext|>b<|endoftext|> c"]) {
			assert.equal(countTokens(text), reference.encode(text, [], []).length, text);
			assert.ok(countTokens(text) > 1, text);
		}
	});

	it("counts a long unbroken run in slices, within about a token per slice of the exact count", function () {
		this.timeout(10_000);
		const blob = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo".repeat(40);
		const exact = reference.encode(`data ${blob} end`).length;
		const sliced = countTokens(`data ${blob} end`);
		assert.ok(Math.abs(sliced - exact) <= Math.ceil(blob.length / 64) + 2, `${sliced} vs ${exact}`);
	});

	it("encodes each distinct slice of a repetitive run once: a 4 MiB run within the context limit does not stall the node", () => {
		const run = "=".repeat(4 * 1024 * 1024);
		// The run is counted in 64-character slices; the text around it is counted as it stays.
		const expected = (run.length / 64) * reference.encode("=".repeat(64)).length + reference.encode("rule   end").length;
		const proto = Tiktoken.prototype as { encode: (...args: unknown[]) => number[] };
		const original = proto.encode;
		let encodes = 0;
		proto.encode = function (this: unknown, ...args: unknown[]) {
			encodes++;
			return original.apply(this, args);
		};
		try {
			assert.equal(countTokens(`rule ${run} end`), expected);
		} finally {
			proto.encode = original;
		}
		// The slice once, and the few words around the run (65 537 before).
		assert.ok(encodes <= 4, `${encodes} encodes`);
	});

	it("counts long whitespace runs in slices too, and never hands BPE a long piece or V8's regexp a run it overflows on", function () {
		this.timeout(30_000);
		const proto = Tiktoken.prototype as { encode: (text: string, ...args: unknown[]) => number[] };
		const original = proto.encode;
		let longest = 0;
		proto.encode = function (this: unknown, text: string, ...args: unknown[]) {
			longest = Math.max(longest, text.length);
			return original.apply(this, [text, ...args]);
		};
		try {
			// BPE within one pre-token is quadratic: 20 000 spaces between two words stalled the event loop 24 s
			// (a 20 KB /v1 body), 100 000 for minutes. Pieces stay short whatever the run.
			for (const run of [" ", "\n", "\t", " \n", "\r\n"]) {
				const text = `a${run.repeat(100_000)}b`;
				countTokens(text);
				assert.ok(longest <= 4 * 64, `${JSON.stringify(run)}: a piece of ${longest} characters was encoded`);
			}
			// A 7 MB run of one character: /\S{65,}/ threw RangeError (Maximum call stack size exceeded) in V8's regexp.
			assert.doesNotThrow(() => countTokens(`x${"y".repeat(8 * 1024 * 1024)} z`));
			assert.doesNotThrow(() => countTokens(`x${" ".repeat(8 * 1024 * 1024)}z`));
		} finally {
			proto.encode = original;
		}
		// Within about a token per slice of the exact count, as for non-space runs.
		for (const run of [" ", "\n", " \n\t"]) {
			const text = `indent${run.repeat(300)}end`;
			const exact = reference.encode(text).length;
			assert.ok(Math.abs(countTokens(text) - exact) <= Math.ceil(text.length / 64) + 2, `${JSON.stringify(run)}: ${countTokens(text)} vs ${exact}`);
		}
	});

	it("counts exactly as o200k_base does for every labeled request, the project's own source and awkward whitespace and scripts", () => {
		const texts: string[] = [];
		for (const file of readdirSync(join(PROJECT_ROOT, "data/train")).filter(f => f.endsWith(".jsonl"))) {
			for (const line of readFileSync(join(PROJECT_ROOT, "data/train", file), "utf8").split("\n")) {
				const request = line.trim() ? (JSON.parse(line) as { request?: string }).request : undefined;
				if (request) texts.push(texts.length % 10 ? request : `  ${request.toUpperCase()}\n\n\t ${request}  `);
			}
		}
		for (const file of ["lib/tokens.ts", "lib/nlp/cues.ts", "services/router/find.ts", "README.md", "config.yaml"]) {
			const source = readFileSync(join(PROJECT_ROOT, file), "utf8");
			for (let i = 0; i < source.length; i += 3000) texts.push(source.slice(i, i + 3000));
		}
		texts.push(
			"a  b",
			"a \n\n  b",
			"   ",
			"\r\n\r\n",
			"x   ",
			"don't DON'T we'LL",
			"日本語のテキスト",
			"emoji 👍🏽 and ünïcödé",
			"١٢٣٤٥ 12345",
			"tabs\t\t\tend\n",
		);
		// Texts with a run over 64 characters, non-space or space, are counted in slices (the tests above); the rest exactly.
		const exact = texts.filter(t => !/\S{65}|\s{65}/.test(t));
		assert.ok(exact.length > 2500, `${exact.length} texts`);
		// Twice: the second pass reads the remembered pieces.
		for (let pass = 0; pass < 2; pass++) for (const text of exact) assert.equal(countTokens(`${text} `), reference.encode(`${text} `, [], []).length, text);
	});

	it("keeps learning pieces once its memo of them is full: a long-running node that has seen 20,000 ids counts ordinary text as fast as a fresh one", () => {
		// A node's memo of piece counts fills with what it counts (hashes, ids, base64): then every text of words it had not
		// met was BPE-encoded piece by piece on every count, 30-100× slower (1 MB of Arabic prose: 14 s instead of 0.1 s).
		const junk = Array.from({ length: 30_000 }, (_, i) => ` q${(i * 7919).toString(36)}x`).join("");
		countTokens(junk);
		const words = Array.from({ length: 50 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}z`);
		const prose = (seed: number) => Array.from({ length: 6_000 }, (_, i) => words[(i * seed) % words.length]).join(" ");
		assert.equal(countTokens(prose(7)), reference.encode(prose(7)).length);
		const encode = Tiktoken.prototype.encode;
		let encoded = 0;
		Tiktoken.prototype.encode = function (this: Tiktoken, ...args: Parameters<Tiktoken["encode"]>) {
			encoded++;
			return encode.apply(this, args);
		};
		try {
			// Another text of the same words (over the whole-text memo's length, so it is counted): nothing left to encode.
			assert.ok(prose(11).length > 16_384);
			countTokens(prose(11));
		} finally {
			Tiktoken.prototype.encode = encode;
		}
		assert.equal(encoded, 0);
	});

	it("adds OpenAI's chat framing per message and per call", () => {
		const n = countMessageTokens([
			{ role: "system", content: "Be brief." },
			{ role: "user", content: "hello world" },
		]);
		assert.equal(n, 3 + countTokens("Be brief.") + countTokens("hello world") + 2 * MESSAGE_OVERHEAD_TOKENS);
	});
});

/**
 * Building the encoder blocks the event loop for seconds on a busy machine; on a cluster node's first request that
 * stalled its heartbeats until its peers took it for dead. The services that count tokens build it when created,
 * before the node joins the bus. Each case runs in a fresh process, where nothing has counted a token yet.
 */
describe("lib/tokens: the encoder is built when a token-counting service is created", function () {
	this.timeout(120_000);
	const inFreshProcess = (services: string[]) => {
		const code = `
			const { tokenizerLoaded } = require("./lib/tokens");
			const { testBroker } = require("./test/helpers");
			const before = tokenizerLoaded();
			testBroker({ services: ${JSON.stringify(services)} });
			process.stdout.write(JSON.stringify({ before, after: tokenizerLoaded() }));
		`;
		const out = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: PROJECT_ROOT, encoding: "utf8" });
		assert.equal(out.status, 0, out.stderr);
		return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as { before: boolean; after: boolean };
	};

	for (const service of ["prompt", "models"])
		it(`${service}: built by the time the broker holds the service, not by its first request`, () => {
			assert.deepEqual(inFreshProcess([service]), { before: false, after: true });
		});

	it("a node without them (intent) does not build it", () => {
		assert.deepEqual(inFreshProcess(["intent"]), { before: false, after: false });
	});

	/**
	 * A word's count is remembered across calls (and a short text's): the word was a slice of the text counted, and as a
	 * key it kept that whole text alive, a 200 KB text per new word, up to 20,000 of them.
	 */
	it("keeps none of the texts it counts alive, though it remembers their words", () => {
		const base = "the quick brown fox jumps over the lazy dog and counts its tokens again\n".repeat(2_100);
		countTokens(base);
		const letters = (i: number) => Array.from({ length: 4 }, (_, d) => String.fromCharCode(97 + (Math.floor(i / 26 ** d) % 26))).join("");
		const before = liveHeap();
		for (let i = 0; i < 80; i++) {
			// A new word (one piece of 13 characters or more) in a new 150 KB text, and a short text cut from it.
			const text = ` qqvx${letters(i)}abcdefgh ${base}`;
			assert.ok(countTokens(text) > 30_000);
			countTokens(text.slice(0, 10_000));
		}
		const grown = liveHeap() - before;
		// 80 texts of 150 KB: 12 MB if they were kept.
		assert.ok(grown < 4 * 2 ** 20, `${(grown / 2 ** 20).toFixed(1)} MB kept`);
	});
});
