import { strict as assert } from "node:assert";
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../../../lib/config";
import { liveServices, providersServing, publishMetadata, type ProviderMetadata } from "../../../lib/registry";
import { seesService, testBroker, testNamespace } from "../../helpers";

const config = loadConfig();
// A catalog model and its provider, as config.yaml has them: the models service resolves it once some service serves it.
const [MODEL, { provider: PROVIDER }] = Object.entries(config.models)[0];

/** A provider service as the provider mixin publishes it (metadata only: nothing here calls it). */
const providerSchema = (name: string, models: string[]) => ({ name, metadata: { provider: { name: PROVIDER, models } satisfies ProviderMetadata } });

const providers = (broker: ServiceBroker) => liveServices<ProviderMetadata>(broker, "provider").map(p => `${p.service}@${[...p.nodes].sort().join("+")}`);

/** Resolves on the next `$services.changed` or `$node.*` local event of that name. */
const next = (broker: ServiceBroker, event: string) => new Promise<void>(resolve => broker.localBus.once(event, () => resolve()));

describe("lib/registry: what is derived from the registry is kept until it changes", () => {
	let a: ServiceBroker;
	let b: ServiceBroker;
	const namespace = testNamespace();

	beforeEach(async () => {
		// Two nodes over Moleculer's in-memory transporter: the models service on `a`, providers joining from either.
		a = testBroker({ services: ["models"], broker: { nodeID: "a", namespace, transporter: "Fake", heartbeatInterval: 1, heartbeatTimeout: 3 } });
		b = new ServiceBroker({ nodeID: "b", namespace, transporter: "Fake", logger: false });
		await a.start();
	});

	afterEach(async () => {
		await b.stop();
		await a.stop();
	});

	it("a local service registering or leaving changes the next answer; none reads the registry again in between", async () => {
		assert.deepEqual(providers(a), []);
		assert.deepEqual(providersServing(a, MODEL), []);
		await assert.rejects(a.call("models.resolve", { model: MODEL }), { type: "NO_PROVIDER" });
		// No change: the same (frozen) answer, not a rebuilt one.
		assert.equal(liveServices(a, "provider"), liveServices(a, "provider"));
		assert.ok(Object.isFrozen(liveServices(a, "provider")));

		const local = a.createService(providerSchema("llm-one", [MODEL]));
		await a.waitForServices("llm-one");
		assert.deepEqual(providers(a), ["llm-one@a"]);
		assert.deepEqual(providersServing(a, MODEL), ["llm-one"]);
		assert.deepEqual((await a.call<{ services: string[] }, unknown>("models.resolve", { model: MODEL })).services, ["llm-one"]);
		const live = await a.call<{ id: string; live: boolean }[], unknown>("models.catalog", {});
		assert.equal(live.find(m => m.id === MODEL)?.live, true);

		await a.destroyService(local);
		assert.deepEqual(providers(a), []);
		assert.deepEqual(providersServing(a, MODEL), []);
		await assert.rejects(a.call("models.resolve", { model: MODEL }), { type: "NO_PROVIDER" });
		const after = await a.call<{ id: string; live: boolean }[], unknown>("models.catalog", {});
		assert.equal(after.find(m => m.id === MODEL)?.live, false);
	});

	it("a remote node joining, changing its metadata and leaving changes the next answer", async () => {
		assert.deepEqual(providersServing(a, MODEL), []);
		const remote = b.createService(providerSchema("llm-two", ["not-in-the-catalog"]));
		await b.start();
		await seesService(a, "llm-two", "b");
		assert.deepEqual(providers(a), ["llm-two@b"]);
		assert.deepEqual(providersServing(a, MODEL), []);

		// The same service on a second node: one entry, both nodes.
		a.createService(providerSchema("llm-two", ["not-in-the-catalog"]));
		await seesService(a, "llm-two", "a");
		assert.deepEqual(providers(a), ["llm-two@a+b"]);

		// b now serves the catalog model (the INFO packet publishMetadata sends).
		const updated = next(a, "$node.updated");
		remote.metadata = { provider: { name: PROVIDER, models: [MODEL] } };
		publishMetadata(b, remote as any);
		await updated;
		assert.deepEqual(providersServing(a, MODEL), ["llm-two"]);
		assert.deepEqual((await a.call<{ services: string[] }, unknown>("models.resolve", { model: MODEL })).services, ["llm-two"]);

		// b goes silent as a killed process does (no heartbeat, no goodbye): a drops it after its heartbeat
		// timeout, and its services with it, with a `$node.disconnected` and no `$services.changed`.
		const gone = next(a, "$node.disconnected");
		(b.registry as unknown as { discoverer: { stopHeartbeatTimers(): void } }).discoverer.stopHeartbeatTimers();
		await gone;
		assert.deepEqual(providers(a), ["llm-two@a"]);
		assert.deepEqual(providersServing(a, MODEL), []);
	});

	it("a listener of `$services.changed` subscribed before the first read still reads the new state", async () => {
		const seen: string[][] = [];
		a.localBus.on("$services.changed", () => seen.push(providers(a)));
		assert.deepEqual(providers(a), []);
		a.createService(providerSchema("llm-three", [MODEL]));
		await a.waitForServices("llm-three");
		assert.deepEqual(seen.at(-1), ["llm-three@a"]);
	});
});
