import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Errors, type Context, type ServiceBroker } from "moleculer";
import { parseConfig } from "../../../../lib/config";
import { budgetedCall } from "../../../../services/budget/guard";
import { costNano } from "../../../../services/budget/policy";
import { toUsd } from "../../../../services/budget/store";
import { outcomeUnknown } from "../../../../services/models/tries";
import { testBroker } from "../../../helpers";

const MODEL = "gpt-4.1-nano";
const BOUND = { model: MODEL, input_tokens: 1_000, max_tokens: 2_000 };

/**
 * services/budget/guard.ts with the real budget service (memory counters): what a failed call leaves counted. A call
 * that timed out after it may have reached the vendor is billed by it all the same, so it stays counted.
 */
describe("budgetedCall: what a failed provider call leaves on the key's budget", () => {
	let broker: ServiceBroker;
	const config = parseConfig(
		`${readFileSync(join(__dirname, "../../../../config.yaml"), "utf8")}\nauth:\n  keys:\n    - { name: team-a, key_sha256: "${createHash("sha256").update("secret").digest("hex")}", budget_usd_per_day: 1 }\n`,
		"config.yaml + auth",
		process.env,
	);
	const worst = toUsd(costNano(config.models[MODEL], BOUND.input_tokens, BOUND.max_tokens));

	beforeEach(async () => {
		broker = testBroker({ services: ["budget"], config, env: { DATABASE_URL: "", REDIS_URL: "", CACHER: "" } });
		broker.createService({
			name: "caller",
			actions: {
				// One keyed provider call failing with `type`, through the guard, as models.service makes it.
				async fail(ctx: Context<{ type: string }>) {
					const failure = new Errors.MoleculerError("vendor call failed", 504, ctx.params.type);
					await budgetedCall(
						ctx,
						BOUND,
						() => Promise.reject(failure),
						() => ({ input_tokens: 0, output_tokens: 0 }),
						// What models.service passes: the walk's own test of whether a try may have reached the vendor.
						err => outcomeUnknown(err, "complete"),
					).catch(() => undefined);
				},
			},
		});
		await broker.start();
	});
	afterEach(() => broker.stop());

	const usedToday = async () => {
		const keys = await broker.call<{ name: string; used_today_usd: number }[]>("budget.keys");
		return keys.find(k => k.name === "team-a")!.used_today_usd;
	};
	const fail = (type: string) => broker.call("caller.fail", { type }, { meta: { key: { name: "team-a" } } });

	it("releases the reservation of a call that failed with a known outcome (a refusal, a 5xx answer)", async () => {
		await fail("PROVIDER_ERROR");
		assert.equal(await usedToday(), 0);
	});

	it("keeps a call whose outcome is unknown (timed out after it was sent) counted at its worst case", async () => {
		await fail("PROVIDER_TIMEOUT");
		assert.equal(await usedToday(), worst);
		await fail("UNKNOWN_OUTCOME");
		assert.equal(await usedToday(), 2 * worst);
		assert.ok(worst > 0);
	});
});
