import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { validate } from "dockerfile-utils";

/**
 * No image builder runs here (no podman/buildah/docker daemon, and base images cannot be pulled), so
 * the Containerfile is linted with dockerfile-utils (the Docker language server's validator) and its
 * promises are read from the instructions themselves.
 */
describe("Containerfile", () => {
	const text = readFileSync("Containerfile", "utf8");
	const lines = text.split("\n").filter(l => l.trim() && !l.trimStart().startsWith("#"));
	const stages = text.split(/^FROM /m).slice(1);
	const runtime = stages[stages.length - 1];

	it("passes the dockerfile-utils validator with no diagnostic", () => {
		assert.deepEqual(
			validate(text).map(d => `${d.range.start.line + 1}: ${d.message}`),
			[],
		);
	});

	it("the validator is not a rubber stamp", () => {
		assert.ok(validate(text.replace("--interval=10s", "--interval=ten")).length > 0);
	});

	it("two stages; the runtime keeps production dependencies only and runs as a non-root user", () => {
		assert.equal(stages.length, 2);
		assert.match(stages[0], /npm prune --omit=dev/);
		assert.ok(!/npm (ci|install)/.test(runtime), "the runtime stage installs nothing: it copies the pruned node_modules");
		const users = lines.filter(l => /^USER /.test(l));
		assert.ok(users.length && !/root|^USER 0/.test(users[users.length - 1]), users.join());
	});

	it("HEALTHCHECK runs the node-based check of /health; HOST=0.0.0.0 and SERVICES are set", () => {
		assert.match(runtime, /^HEALTHCHECK .*CMD \["node", "bin\/healthcheck\.js"\]/m);
		assert.match(readFileSync("bin/healthcheck.js", "utf8"), /path: "\/health"/);
		assert.match(runtime, /^ENV .*\bHOST=0\.0\.0\.0\b/m);
		assert.match(runtime, /^ENV .*\bSERVICES=/m);
	});

	it("secrets never enter the build context", () => {
		for (const f of [".containerignore", ".dockerignore"]) {
			const ignored = readFileSync(f, "utf8").split("\n");
			for (const secret of [".env", "k8s/provider-keys.env", "k8s/api-keys.env", "k8s/nats-token.env"])
				assert.ok(ignored.includes(secret), `${f}: ${secret}`);
		}
	});
});
