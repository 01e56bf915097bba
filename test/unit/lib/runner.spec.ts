import { strict as assert } from "node:assert";
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

	it("takes names and globs of services this build has, a provider without its key included", async () => {
		for (const list of ["intent,complexity", "llm-*", "llm-openai", "mcp.*"]) {
			const broker = build(list);
			await broker.start();
			await broker.stop();
		}
		assert.deepEqual(
			build("intent,complexity")
				.services.map(s => s.name)
				.filter(n => !n.startsWith("$"))
				.sort(),
			["complexity", "intent"],
		);
	});
});
