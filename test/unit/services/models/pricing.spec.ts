import { strict as assert } from "node:assert";
import { cheapestLive, priceUsd } from "../../../../services/models/pricing";

describe("models/pricing", () => {
	it("prices a call per million tokens, rounded to a micro-dollar, and an unknown model at 0", () => {
		assert.equal(priceUsd({ provider: "openai", input_per_mtok: 0.1, output_per_mtok: 0.4, context_window: 1 }, 1000, 10), 0.000104);
		assert.equal(priceUsd(undefined, 1000, 10), 0);
	});

	it("orders live models by price and ignores the others", () => {
		const list = cheapestLive([
			{ id: "big", live: true, input_per_mtok: 3, output_per_mtok: 15 },
			{ id: "off", live: false, input_per_mtok: 0.01, output_per_mtok: 0.01 },
			{ id: "small", live: true, input_per_mtok: 0.1, output_per_mtok: 0.4 },
		]);
		assert.deepEqual(
			list.map(m => m.id),
			["small", "big"],
		);
	});
});
