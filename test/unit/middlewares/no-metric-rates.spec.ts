import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../../moleculer.config";
import { standaloneEnv } from "../../helpers";

describe("NoMetricRates middleware", () => {
	let broker: ServiceBroker;
	before(async () => {
		// The production broker options (METRICS_PORT off: no Prometheus port in a test).
		broker = new ServiceBroker({ ...brokerOptions(standaloneEnv()), logger: false });
		broker.createService({ name: "echo", actions: { say: (ctx: any) => ctx.params.text } });
		broker.createService({ name: "listener", events: { "some.event"() {} } });
		await broker.start();
		for (let i = 0; i < 5; i++) await broker.call("echo.say", { text: "hi" });
		broker.emit("some.event", {});
		await new Promise(r => setImmediate(r));
	});
	after(() => broker.stop());

	it("keeps Moleculer's metrics and their counts, without a rate tracker on any series", () => {
		const total = broker.metrics.getMetric("moleculer.request.total");
		assert.ok(total, "moleculer.request.total is registered");
		const echo = [...(total as any).values.values()].find((item: any) => item.labels.action === "echo.say");
		assert.equal(echo?.value, 5, "every call counted");
		const listed = broker.metrics.list();
		assert.ok(
			listed.some(m => m.name === "moleculer.event.received.total"),
			"event metrics are registered",
		);
		for (const m of listed) {
			assert.notEqual((broker.metrics.getMetric(m.name) as any).rate, true, `${m.name} registered with a rate`);
			for (const v of m.values as any[]) assert.equal(v.rate, undefined, `${m.name} has a rate value`);
		}
	});

	it("passes a registration without rate through as given", () => {
		broker.metrics.register({ name: "test.no.rate.gauge", type: "gauge", labelNames: ["a"] });
		broker.metrics.set("test.no.rate.gauge", 1.5, { a: "x" });
		assert.equal(broker.metrics.getMetric("test.no.rate.gauge")?.get({ a: "x" })?.value, 1.5);
	});
});
