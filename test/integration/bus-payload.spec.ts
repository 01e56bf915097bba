import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { ServiceBroker } from "moleculer";
import OpenAI from "openai";
import { fakeOpenAI } from "../fakes/openai";
import type { FakeVendor } from "../fakes/vendor";
import { startNats, stopChild } from "../fixtures/servers";
import { providerEnvFor } from "../fixtures/vendors";
import { freePort, testBroker, testNamespace } from "../helpers";

const NATS_CONF = resolve(__dirname, "../../k8s/nats.conf");
/** Over NATS's default max_payload (1 MiB), under config.yaml's max_context_bytes (4 MiB). */
const BIG = "x".repeat(1_200_000);

interface Split {
	nats: ChildProcess;
	nodes: ServiceBroker[];
	base: string;
}

/** A gateway node and a pipeline node on a nats-server of the test's own (`args`: its flags; `token`: the NATS_TOKEN nats.conf requires). */
async function startSplit(vendor: FakeVendor, args: string[], token?: string): Promise<Split> {
	const natsPort = await freePort();
	const nats = await startNats(natsPort, token ? { ...process.env, NATS_TOKEN: token } : undefined, args);
	const port = await freePort();
	const namespace = testNamespace();
	const common = {
		...providerEnvFor({ openai: vendor }),
		TRANSPORTER: `nats://127.0.0.1:${natsPort}`,
		NATS_TOKEN: token,
		NAMESPACE: namespace,
		WORKSPACE_DIR: "",
	};
	const gateway = testBroker({ services: ["gateway"], env: { ...common, NODE_ID: `${namespace}-gw`, PORT: String(port), HOST: "127.0.0.1" } });
	const pipeline = testBroker({ exclude: ["gateway", "mcp.*"], env: { ...common, NODE_ID: `${namespace}-pipe` } });
	// An action whose answer is larger than the default max_payload (as a file tool's output may be, up to 4 MiB).
	pipeline.createService({ name: "big", actions: { answer: () => BIG } });
	const nodes = [gateway, pipeline];
	await Promise.all(nodes.map(n => n.start()));
	await gateway.waitForServices(["orchestrator", "models", "llm-openai", "big"], 20_000);
	return { nats, nodes, base: `http://127.0.0.1:${port}` };
}

async function stopSplit(split: Split | undefined): Promise<void> {
	await Promise.all(split?.nodes.map(n => n.stop()) ?? []);
	if (split) await stopChild(split.nats);
}

const orchestrate = (base: string) =>
	fetch(`${base}/api/orchestrate`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({ request: "summarize this log", context: { files: [{ path: "big.log", content: BIG }] }, options: { dry_run: true } }),
	});

/**
 * One bus message carries a whole request or answer between nodes; NATS refuses one over its max_payload (1 MiB by
 * default) while the limits let in 4 MiB contexts. A split deployment on a default nats-server answers such a request
 * 413 naming the setting (it was a 500 `MAX_PAYLOAD_EXCEEDED`), and an answer too large fails its caller at once; on the
 * nats.conf the manifests ship (k8s/nats.conf, compose.yaml) the same request is answered.
 */
describe("requests and answers larger than NATS's max_payload, between two nodes", function () {
	this.timeout(60_000);
	let vendor: FakeVendor;
	before(async () => {
		vendor = await fakeOpenAI();
	});
	after(() => vendor?.stop());

	describe("on a nats-server with its default max_payload (1 MiB)", () => {
		let split: Split | undefined;
		before(async () => {
			split = await startSplit(vendor, []);
		});
		after(() => stopSplit(split));

		it("REST and /v1 answer 413 in their own format, naming max_payload; the gateway serves on", async () => {
			const res = await orchestrate(split!.base);
			const body = (await res.json()) as { error: { type: string; message: string } };
			assert.equal(res.status, 413, JSON.stringify(body));
			assert.equal(body.error.type, "BUS_PAYLOAD_TOO_LARGE");
			assert.match(body.error.message, /larger than the message bus takes \(NATS max_payload, 1048576 bytes\)/);
			const openai = new OpenAI({ baseURL: `${split!.base}/v1`, apiKey: "unused", maxRetries: 0 });
			await assert.rejects(
				openai.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: BIG }] }),
				(err: InstanceType<typeof OpenAI.APIError>) => err.status === 413 && /NATS max_payload/.test(err.message),
			);
			const small = await fetch(`${split!.base}/api/orchestrate`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ request: "explain closures", options: { dry_run: true } }),
			});
			assert.equal(small.status, 200);
		});

		it("an answer too large for the bus fails its caller at once with the same error, not at its timeout", async () => {
			const started = Date.now();
			await assert.rejects(split!.nodes[0].call("big.answer", {}, { timeout: 20_000 }), (err: { code?: number; type?: string }) => {
				assert.deepEqual([err.code, err.type], [413, "BUS_PAYLOAD_TOO_LARGE"]);
				return true;
			});
			assert.ok(Date.now() - started < 5_000, `failed after ${Date.now() - started} ms`);
		});
	});

	describe("on the nats.conf the manifests ship (max_payload 16MB)", () => {
		let split: Split | undefined;
		before(async () => {
			// nats.conf also requires a token (test/integration/nats-auth.spec.ts).
			split = await startSplit(vendor, ["-c", NATS_CONF], `bus-${testNamespace()}`);
		});
		after(() => stopSplit(split));

		it("answers the same request, and carries the large answer", async () => {
			const res = await orchestrate(split!.base);
			assert.equal(res.status, 200, await res.clone().text());
			assert.equal((await split!.nodes[0].call<string, unknown>("big.answer", {})).length, BIG.length);
		});
	});
});
