import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["bin", "lib", "services", "plugins", "mixins", "mcp-servers", "scripts", "examples"];

function files(dir: string): string[] {
	return readdirSync(dir).flatMap(e => {
		const full = join(dir, e);
		return statSync(full).isDirectory() ? files(full) : /\.(ts|js)$/.test(e) ? [full] : [];
	});
}

/**
 * Variable names the code reads: `process.env.X`, `env.X` and `env["X"]` (env being a ProcessEnv),
 * the quoted names handed to `providerEnv(...)`, and `${X}` in config.yaml.
 */
export function variablesRead(): Map<string, string> {
	const found = new Map<string, string>();
	const add = (name: string, where: string) => found.has(name) || found.set(name, where);
	for (const file of [...SOURCES.flatMap(files), "moleculer.config.ts"]) {
		const text = readFileSync(file, "utf8");
		for (const m of text.matchAll(/\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]+)\b|\["([A-Z][A-Z0-9_]+)"\])/g)) add(m[1] ?? m[2], file);
		for (const call of text.matchAll(/providerEnv\([^)]*\)/gs)) for (const m of call[0].matchAll(/"([A-Z][A-Z0-9_]+)"/g)) add(m[1], file);
	}
	// Commented-out lines count (an example a user uncomments), the header's explanation of the ${VAR} syntax does not.
	const yaml = readFileSync("config.yaml", "utf8").replace(/\$\{VAR(:-default)?\}/g, "");
	for (const m of yaml.matchAll(/\$\{([A-Z][A-Z0-9_]+)/g)) if (m[1] !== "PROJECT_ROOT") add(m[1], "config.yaml");
	return found;
}

describe(".env.example", () => {
	const listed = new Set([...readFileSync(".env.example", "utf8").matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map(m => m[1]));

	it("lists every environment variable the code reads", () => {
		const read = variablesRead();
		assert.ok(read.size > 30 && read.has("OPENAI_API_KEY") && read.has("WORKSPACE_DIR"), [...read.keys()].join());
		const missing = [...read].filter(([name]) => !listed.has(name)).map(([name, where]) => `${name} (${where})`);
		assert.deepEqual(missing, [], "add these to .env.example");
	});

	it("sets nothing but empty provider keys when copied to .env as it is (defaults stay commented)", () => {
		const set = readFileSync(".env.example", "utf8")
			.split("\n")
			.filter(l => /^[A-Z]/.test(l));
		assert.ok(set.length > 0);
		for (const line of set) assert.match(line, /^[A-Z_]+=$/, line);
	});

	it("holds no secret value", () => {
		for (const line of readFileSync(".env.example", "utf8").split("\n")) {
			if (/^(# )?[A-Z_]*(KEY|TOKEN|SECRET|PASSWORD)=/.test(line)) assert.match(line, /=$/, line);
		}
	});
});
