import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { loadConfig } from "../../lib/config";
import { matchesServiceList, parseServiceList, resolveSchemas } from "../../lib/runner";

describe("k8s manifests", () => {
	const docs = parseAllDocuments(readFileSync("k8s/orchestrator.yaml", "utf8")).map(d => d.toJS());
	const groups = docs
		.filter(d => d.kind === "Deployment")
		.map(d => d.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "SERVICES").value as string);

	it("every service the code defines is hosted by exactly one Deployment group", () => {
		// Providers return null without credentials: give each one a fake key so all are listed.
		const env = { OPENAI_API_KEY: "k", ANTHROPIC_API_KEY: "k", GOOGLE_API_KEY: "k", OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:1/v1" };
		const logger = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {} } as any;
		const names = resolveSchemas({ config: loadConfig(), env, logger }).map(s => String(s.name));
		assert.ok(names.includes("orchestrator") && names.includes("gateway"));
		for (const name of names) {
			const hosts = groups.filter(g => matchesServiceList(name, parseServiceList(g)));
			assert.equal(hosts.length, 1, `${name} is hosted by ${hosts.length} groups`);
		}
	});

	it("the gateway Deployment's readiness probe is /health", () => {
		const gw = docs.find(d => d.kind === "Deployment" && d.metadata.name === "orchestrator-gateway");
		assert.equal(gw.spec.template.spec.containers[0].readinessProbe.httpGet.path, "/health");
	});
});
