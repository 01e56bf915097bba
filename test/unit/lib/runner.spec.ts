import { strict as assert } from "node:assert";
import { loadConfig } from "../../../lib/config";
import { createBroker } from "../../../lib/runner";
import { standaloneEnv } from "../../helpers";

/** lib/runner.ts createBroker: the SERVICES an operator sets is checked against the services this build has. */
describe("lib/runner: SERVICES", () => {
	const build = (SERVICES: string) => createBroker({ env: standaloneEnv({ SERVICES, OPENAI_API_KEY: "" }), broker: { logger: false } });

	it("refuses a name no service matches, naming it and the services there are", () => {
		assert.throws(
			() => build("intent,llm-mistrall"),
			(err: Error) => {
				assert.match(err.message, /^SERVICES names 'llm-mistrall', which no service matches \(services: .*\bintent\b.*\bllm-openai\b/);
				return true;
			},
		);
	});

	it("takes names and globs of services this build has, a provider without its key and a disabled MCP service included", async () => {
		for (const list of ["intent,complexity", "llm-*", "llm-openai", "mcp.*"]) {
			const broker = build(list);
			await broker.start();
			await broker.stop();
		}
		const config = loadConfig();
		const disabled = { ...config, mcp_services: { ...config.mcp_services, search: { ...config.mcp_services.search, enabled: false } } };
		const quiet = createBroker({ env: standaloneEnv({ SERVICES: "mcp.search" }), config: disabled, broker: { logger: false } });
		assert.equal(quiet.getLocalService("mcp.search"), undefined);
		// A glob matching nothing (k8s/mcp.yaml's `mcp.*` with no MCP service configured) runs, and warns.
		createBroker({ env: standaloneEnv({ SERVICES: "mcp.*" }), config: { ...config, mcp_services: {} }, broker: { logger: false } });
		// A bad base URL on a node that does not host that provider is not its concern.
		createBroker({ env: standaloneEnv({ SERVICES: "intent", OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: "api.example.com/v1" }), broker: { logger: false } });
		assert.deepEqual(
			build("intent,complexity")
				.services.map(s => s.name)
				.filter(n => !n.startsWith("$"))
				.sort(),
			["complexity", "intent"],
		);
	});
});
