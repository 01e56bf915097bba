import { strict as assert } from "assert";
import type { Intent } from "../../../../lib/contracts";
import { asksToAct } from "../../../../services/router/acts";
import { shippedAnswerable, answerableProbability } from "../../../../services/router/answerable";
import { gatedRoute } from "../../../../services/router/gate";
import { chooseRoute, ZERO_TOKEN_GATE, type LiveMcpService } from "../../../../services/router/route";

const schema = (props: string[]) => ({ type: "object", properties: Object.fromEntries(props.map(p => [p, {}])), required: [props[0]] });
const fs: LiveMcpService = {
	service: "mcp.filesystem",
	meta: {
		server: "filesystem",
		capabilities: ["read", "search"],
		connected: true,
		tools: [
			{ name: "read_text_file", inputSchema: schema(["path", "head", "tail"]), kind: "read" },
			{ name: "list_directory", inputSchema: schema(["path"]), kind: "read" },
			{ name: "search_files", inputSchema: schema(["path", "pattern"]), kind: "read" },
		],
	},
};
const zeroToken = (r: { kind: string; then_llm?: boolean }) => r.kind === "mcp" && !r.then_llm;

describe("router zero-token gate", () => {
	// The three wrong answers, under every intent a classifier might give them.
	const pasted =
		"```js\nconst a = require('./server.js');\nfunction f(x) {\n  return x * 2;\n}\nmodule.exports = f;\n```\nUnderstand what's written here, and refactor";
	// The fourth: blind set 5's one false route (data/holdout/README.md), fixed after its first run.
	const timed = 'Measure the execution time of the command: find /usr/src -name "*.html" -exec grep -H "foo" {} \';\' | wc -l';
	for (const request of ["How the server.js file should be written", "Find all .zip files and unzip them, deleting the archives", pasted, timed]) {
		it(`never answers "${request.slice(-50).replace(/\n/g, " ")}" with a tool alone`, () => {
			for (const intent of ["READ", "SEARCH", "ANALYZE", "WRITE", "MANAGE"] as Intent[]) {
				assert.equal(zeroToken(chooseRoute({ request, intent }, [fs])), false, intent);
				assert.equal(zeroToken(gatedRoute({ request, intent, intent_confidence: 0.99 }, [fs])), false, intent);
			}
		});
	}

	it("tells an act asked of the files from files described by what happened to them", () => {
		for (const t of [
			"find all .zip files and unzip them",
			"delete every log file",
			"count the lines in",
			"explain main.py",
			"how main.py should be written",
			"benchmark the search over src",
			"find . -name '*.log' -exec ls -l {} ;",
			"grep -r TODO src | sort",
			"backup files to the archive folder",
			"find files with write permission and chmod them",
			"write to all the users",
			// Emptying is changing the files (round 11: "empty" had been read only as find -empty).
			"find all directories by the name cache and empty them",
			"truncate the log files",
		])
			assert.ok(asksToAct(t), t);
		for (const t of [
			"files changed in the past 24 hours",
			"any .ts files edited within the last 3 days",
			"what's DEBUG set to in",
			"show me every call to `send_email()`",
			"files executable by everyone",
			"find all the empty files in the current folder",
			"find files named a-b -not -empty",
			// Permission bits and kinds of file named by a verb (training lines 3301, 4483, 5263; blind3's 1505).
			"Show all files that have read, write and execute permissions set for user, group and others",
			"find all the files which have execute permission to all the users",
			"find all the directories which have read, write and execute to all the users",
			'Search for "#define" in all files, excluding backup files *~, *.orig, *.bak',
		])
			assert.ok(!asksToAct(t), t);
	});

	it("keeps a plain read zero-token when the gate is sure, and sends it through the LLM when it is not", () => {
		const input = { request: "show me config/prod.yaml", intent: "READ" as Intent };
		assert.ok(zeroToken(chooseRoute({ ...input, answerable: 0.9, intent_confidence: 0.9 }, [fs])));
		// Unsure: the file is still fetched, and the LLM answers.
		assert.deepEqual(chooseRoute({ ...input, answerable: ZERO_TOKEN_GATE.minAnswerable - 0.01 }, [fs]), {
			kind: "mcp",
			service: "mcp.filesystem",
			tool: "read_text_file",
			arguments: { path: "config/prod.yaml" },
			then_llm: true,
		});
		assert.equal(chooseRoute({ ...input, intent_confidence: ZERO_TOKEN_GATE.minIntentConfidence - 0.01 }, [fs]).then_llm, true);
		// A listing or name search that the gate doubts goes to the LLM: the listing would not help it.
		assert.deepEqual(chooseRoute({ request: "all *.proto files pls", intent: "SEARCH", answerable: ZERO_TOKEN_GATE.minAnswerable - 0.01 }, [fs]), {
			kind: "llm",
		});
	});

	it("ships a learned gate that tells a plain read or search from a request to act", () => {
		const model = shippedAnswerable();
		assert.ok(model, "services/router/answerable.json is missing (npm run train)");
		// The model's own boundary (0.5): the shipped threshold is lower (chosen out of fold, docs/decisions.md)
		// because the rule cover (find.ts, acts.ts) already keeps acts out; the model still ranks them apart.
		const boundary = 0.5;
		for (const r of ["Show me the contents of README.md", "Find all .gif files in the /var/www directory tree", "list the files in src/"]) {
			assert.ok(answerableProbability(model, r) >= boundary, r);
		}
		for (const r of [
			"Find all .zip files and unzip them, deleting the archives",
			"write a function that parses a csv file",
			"Set permissions to 2770 for all directories in the current directory tree",
		]) {
			assert.ok(answerableProbability(model, r) < boundary, r);
			assert.ok(!zeroToken(gatedRoute({ request: r, intent: "SEARCH", intent_confidence: 0.99 }, [fs])), r);
		}
		assert.ok(zeroToken(gatedRoute({ request: "Show me the contents of README.md", intent: "READ", intent_confidence: 0.95 }, [fs])));
	});
});

describe("router/acts: permission words with a slip (round 12)", () => {
	it("reads 'write permssion' as a condition, as 'write permission' is, and a write as an act still", () => {
		for (const t of ["Find files/directories that does not have write permssion for group", "find files which have write permision for others"])
			assert.ok(!asksToAct(t), t);
		for (const t of ["write the permssion list to a file", "find files without write permssion and add it"]) assert.ok(asksToAct(t), t);
	});
});

describe("router/acts: a dotted file name is a name (round 13)", () => {
	it("reads 'backup.tar.gz' or 'install.sh' as a file, and the verbs around them as acts still", () => {
		for (const t of [
			"Find all files/directories under current directory tree that are newer than backup.tar.gz by modification time",
			"find files named install.sh",
		])
			assert.ok(!asksToAct(t), t);
		for (const t of ["delete backup.tar.gz", "backup the files in /etc", "find backup.sh and sort them by date"]) assert.ok(asksToAct(t), t);
	});
});

describe("router/search: an archive named is no search term (round 13)", () => {
	it("leaves a search in 'log.tar.gz' to the LLM (zgrep), now that its dotted name is no act", () => {
		const search: LiveMcpService = {
			service: "mcp.search",
			meta: {
				server: "search",
				capabilities: ["search"],
				connected: true,
				tools: [{ name: "search_text", inputSchema: schema(["pattern", "path", "glob", "regex", "case_sensitive"]), kind: "read" }],
			},
		};
		assert.ok(
			!zeroToken(gatedRoute({ request: 'Search for case-insensitive "string" in "log.tar.gz"', intent: "SEARCH", intent_confidence: 0.99 }, [search])),
		);
		assert.ok(zeroToken(gatedRoute({ request: 'Search for case-insensitive "string" in all files', intent: "SEARCH", intent_confidence: 0.99 }, [search])));
	});
});

describe("router/acts: a quoted name after 'named' or 'called' is a name (round 18)", () => {
	it("does not read a file called 'cp' or named 'rm' as the command; an act outside the quotes still is one", () => {
		for (const t of ['Search the ./bin directory recursively for files called "cp"', "find all files named 'rm' under /usr"]) assert.ok(!asksToAct(t), t);
		for (const t of ['find all files called "cp" and delete them', "find files named 'x' and move them to /tmp", 'copy the files called "a"'])
			assert.ok(asksToAct(t), t);
	});
});

describe("router/acts: a quoted start or end of a name is a name (round 26)", () => {
	it("does not read 'begin with \"Automatically Add\"' as adding; an act outside the quotes still is one", () => {
		for (const t of ['find all the files in the folder ~/Music which begin with "Automatically Add"', "find files ending with 'copy' in /srv"])
			assert.ok(!asksToAct(t), t);
		for (const t of ['find all the files which begin with "Automatically Add" and delete them', "find files ending with 'copy' and copy them to /tmp"])
			assert.ok(asksToAct(t), t);
	});
});

describe("router/acts: permission words joined by a hyphen (round 21)", () => {
	it("reads 'have read-write permission' as a condition, 'write' in it no act", () => {
		assert.ok(!asksToAct("Find all files which have read-write permission for owner and only read permission for group and others"));
		assert.ok(asksToAct("Find all files which have read-write permission for owner and write them to out"));
	});
});
