import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { MAX_REMEMBERED_KEYS, rememberLabelKeys } from "../../../middlewares/metric-label-keys.middleware";
import { standaloneEnv } from "../../helpers";

/** A gauge of the broker's registry, as Moleculer builds it (its own hashingLabels). */
function plainGauge(broker: ServiceBroker, name: string, labelNames: string[]) {
	return broker.metrics.register({ name, type: "gauge", labelNames }) as unknown as {
		labelNames: string[];
		hashingLabels(labels: unknown): string;
		values: Map<string, { value: number; labels: Record<string, unknown> }>;
	};
}

describe("MetricLabelKeys middleware", () => {
	let broker: ServiceBroker;
	before(async () => {
		// The production broker options (METRICS_PORT off: no Prometheus port in a test).
		broker = new ServiceBroker({ ...brokerOptions(standaloneEnv()), logger: false });
		broker.createService({ name: "echo", actions: { say: (ctx: any) => ctx.params.text } });
		await broker.start();
		for (let i = 0; i < 5; i++) await broker.call("echo.say", { text: "hi" });
	});
	after(() => broker.stop());

	it("gives the key Moleculer builds for every kind of label value", () => {
		const reference = plainGauge(broker, "test.keys.reference", ["a", "b", "c"]);
		const original = reference.hashingLabels;
		const remembered = { labelNames: ["a", "b", "c"], hashingLabels: original.bind(reference) };
		rememberLabelKeys(remembered);
		const sets: unknown[] = [
			{ a: "x", b: "y", c: "z" },
			{ a: 1, b: "1", c: true },
			{ a: "1", b: 1, c: "true" },
			{ a: true, b: false, c: 0 },
			{ a: -0, b: NaN, c: 1.5 },
			{ a: null, b: undefined, c: { toString: () => "o" } },
			{ a: "x" },
			{ a: 'q"uote', b: "a|b", c: "" },
			{},
			null,
			undefined,
			"not an object",
		];
		for (const labels of [...sets, ...sets]) assert.equal(remembered.hashingLabels(labels), original.call(reference, labels), JSON.stringify(labels));
		// Label sets that build the same key (an unset label and a null one) share it, as before.
		assert.equal(remembered.hashingLabels({ a: "x", b: null, c: undefined }), remembered.hashingLabels({ a: "x" }));
	});

	it("gives the key of the values it is given when one call follows another: same values, a mutated object, look-alike values", () => {
		const reference = plainGauge(broker, "test.keys.last", ["a", "b"]);
		const original = reference.hashingLabels;
		const remembered = { labelNames: ["a", "b"], hashingLabels: original.bind(reference) };
		rememberLabelKeys(remembered);
		const labels: Record<string, unknown> = { a: "x", b: 1 };
		const sequence = () => [
			() => labels,
			() => labels,
			() => ({ a: "x", b: 1 }),
			() => Object.assign(labels, { b: 2 }),
			() => ({ a: "x", b: "2" }),
			() => ({ a: "x", b: true }),
			() => ({ a: "x", b: "true" }),
			() => ({ a: "x", b: NaN }),
			() => ({ a: "x", b: NaN }),
			() => ({ a: "x", b: -0 }),
			() => ({ a: "x", b: 0 }),
			() => ({ a: "x" }),
			() => ({ a: "x", b: null }),
			() => ({ b: 2 }),
		];
		for (const next of sequence()) {
			const given = next();
			assert.equal(remembered.hashingLabels(given), original.call(reference, given), JSON.stringify(given));
		}
	});

	it("is in force on the broker's metrics: each call's series counted once per call, under the same key", () => {
		const total = broker.metrics.getMetric("moleculer.request.total") as any;
		assert.notEqual(total.hashingLabels, Object.getPrototypeOf(total).hashingLabels, "moleculer.request.total remembers its keys");
		const echo = [...total.values.entries()].find(([, item]: any) => item.labels.action === "echo.say");
		assert.equal(echo?.[1].value, 5, "every call counted");
		assert.equal(echo?.[0], Object.getPrototypeOf(total).hashingLabels.call(total, echo?.[1].labels), "the key Moleculer builds");
		const active = broker.metrics.getMetric("moleculer.request.active") as any;
		const echoActive = [...active.values.values()].find((item: any) => item.labels.action === "echo.say");
		assert.equal(echoActive?.value, 0, "active went up and down on the same series");
	});

	it("applies to a metric registered after the broker started", () => {
		const gauge = plainGauge(broker, "test.keys.later", ["a"]);
		assert.ok(Object.prototype.hasOwnProperty.call(gauge, "hashingLabels"), "a later metric remembers its keys");
		broker.metrics.increment("test.keys.later", { a: "x" });
		broker.metrics.increment("test.keys.later", { a: "x" });
		broker.metrics.decrement("test.keys.later", { a: "y" });
		assert.deepEqual(
			[...gauge.values.values()].map(v => [v.labels.a, v.value]),
			[
				["x", 2],
				["y", -1],
			],
		);
	});

	it("stops remembering past MAX_REMEMBERED_KEYS label sets and still gives every key", () => {
		const reference = plainGauge(broker, "test.keys.many", ["a", "b"]);
		const original = reference.hashingLabels;
		let built = 0;
		const counting = {
			labelNames: ["a", "b"],
			hashingLabels: (labels: unknown) => {
				built++;
				return original.call(reference, labels);
			},
		};
		rememberLabelKeys(counting);
		for (let i = 0; i < MAX_REMEMBERED_KEYS + 50; i++) counting.hashingLabels({ a: `v${i}`, b: i });
		assert.equal(built, MAX_REMEMBERED_KEYS + 50, "each new label set built once");
		built = 0;
		for (let i = 0; i < MAX_REMEMBERED_KEYS + 50; i++)
			assert.equal(counting.hashingLabels({ a: `v${i}`, b: i }), original.call(reference, { a: `v${i}`, b: i }));
		assert.equal(built, 50, "only those past the bound are built again");
	});
});
