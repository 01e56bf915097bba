import { strict as assert } from "node:assert";
import { loadConfig } from "../../../../lib/config";
import { fallbackProviders } from "../../../../services/models/fallback-providers";

describe("models/fallback-providers: who could still answer if the try under way hangs", () => {
	const catalog = loadConfig();
	const live =
		(...providers: string[]) =>
		(model: string) =>
			providers.includes(catalog.models[model]?.provider);

	it("counts each other live provider of the later models once", () => {
		const later = ["gpt-4.1-nano", "claude-haiku-4-5", "gemini-2.5-flash", "gemini-2.5-flash-lite"];
		assert.equal(fallbackProviders(catalog, later, "openai", new Set(), live("openai", "anthropic", "google")), 2);
	});

	it("leaves out the current provider's later models, providers nobody serves and those that may hold the request", () => {
		const later = ["gpt-4.1-nano", "claude-haiku-4-5", "gemini-2.5-flash"];
		assert.equal(fallbackProviders(catalog, later, "openai", new Set(), live("openai")), 0);
		assert.equal(fallbackProviders(catalog, later, "openai", new Set(["anthropic"]), live("openai", "anthropic", "google")), 1);
		assert.equal(
			fallbackProviders(catalog, ["no-such-model"], "openai", new Set(), () => true),
			0,
		);
	});
});
