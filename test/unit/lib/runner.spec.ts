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

/**
 * config.yaml `auth.keys` with `key: ${VAR}`: only the nodes that host `gateway` or `budget` read the secrets
 * (README "Keys"; k8s/ gives the keys' Secret to gateway and pipeline pods only). A provider, MCP or REPL node
 * refused to start without them.
 */
describe("lib/runner: auth.keys secrets on nodes that do not use them", () => {
	const config = loadConfig();
	// `key: ${TEAM_A_KEY}` with TEAM_A_KEY unset, as parsed.
	const withUnsetKey = { ...config, auth: { ...config.auth, keys: [{ name: "team-a", key: undefined }] } };
	const build = (env: Record<string, string>, opts: Parameters<typeof createBroker>[0] = {}) =>
		createBroker({ env: standaloneEnv({ OPENAI_API_KEY: "sk-test", ...env }), config: withUnsetKey, broker: { logger: false }, ...opts });

	it("a provider node, an MCP node and the REPL joined to a cluster start without the keys' variables", async () => {
		for (const SERVICES of ["llm-*", "mcp.*", "intent,complexity"]) {
			const broker = build({ SERVICES });
			assert.equal(broker.getLocalService("gateway"), undefined, SERVICES);
			assert.equal(broker.getLocalService("budget"), undefined, SERVICES);
			await broker.start();
			await broker.stop();
		}
		// bin/cli.ts repl with TRANSPORTER: no service of its own, never the gateway.
		const repl = build({}, { services: [], exclude: ["gateway"] });
		await repl.start();
		await repl.stop();
	});

	it("a node hosting the gateway or budget still refuses to start, naming the key", () => {
		for (const SERVICES of ["gateway", "budget"])
			assert.throws(() => build({ SERVICES }), /config\.yaml auth\.keys\.0 \('team-a'\): key is empty \(is its \$\{VAR\} set\?\)/, SERVICES);
	});
});
