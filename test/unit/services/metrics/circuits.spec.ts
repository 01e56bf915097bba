import { strict as assert } from "node:assert";
import { CircuitTable, type CircuitEvent } from "../../../../services/metrics/circuits";
import { reasonLabel } from "../../../../services/metrics.service";

const ev = (over: Partial<CircuitEvent>): CircuitEvent => ({
	caller: "orch-a",
	nodeID: "prov-1",
	service: "llm-openai",
	action: "llm-openai.complete",
	state: "open",
	provider: "openai",
	ts: 1,
	...over,
});

describe("circuit table", () => {
	it("keeps one breaker per caller and endpoint, reporting each failing endpoint once", () => {
		const t = new CircuitTable();
		t.apply(ev({ caller: "orch-a", ts: 1 }));
		t.apply(ev({ caller: "orch-b", state: "half-open", ts: 2 }));
		assert.deepEqual(t.open(), [
			{ provider: "openai", action: "llm-openai.complete", node: "prov-1", state: "open", seen_from: ["orch-a", "orch-b"], since: 1 },
		]);
		assert.equal(t.providerState("openai"), 1);
		t.apply(ev({ caller: "orch-a", state: "closed", ts: 3 }));
		assert.equal(t.providerState("openai"), 0.5);
		t.apply(ev({ caller: "orch-b", state: "closed", ts: 4 }));
		assert.deepEqual(t.open(), []);
		assert.equal(t.providerState("openai"), 0);
	});

	it("never lets an older event or a merge from a node that missed the close reopen a breaker", () => {
		const t = new CircuitTable();
		t.apply(ev({ ts: 5, state: "closed" }));
		t.apply(ev({ ts: 4, state: "open" }));
		t.merge([ev({ ts: 3, state: "open" })]);
		assert.deepEqual(t.open(), []);
	});

	it("forgets the breakers of a node that left, and those about its endpoints", () => {
		const t = new CircuitTable();
		t.apply(ev({ caller: "orch-a" }));
		t.apply(ev({ caller: "orch-b", nodeID: "prov-2", provider: "anthropic", service: "llm-anthropic", action: "llm-anthropic.complete" }));
		assert.deepEqual(t.dropNode("prov-2").sort(), ["anthropic"]);
		assert.deepEqual(t.dropNode("orch-a"), ["openai"]);
		assert.deepEqual(t.open(), []);
	});

	it("keeps a pipeline service's breaker (the gateway's) in the list but gives it no provider gauge", () => {
		const t = new CircuitTable();
		assert.deepEqual(t.apply(ev({ service: "gateway", action: "gateway.health", provider: "gateway", kind: "service" })), []);
		assert.deepEqual(t.apply(ev({ service: "mcp.filesystem", action: "mcp.filesystem.callTool", provider: "mcp:filesystem", kind: "tool" })), []);
		assert.deepEqual(t.apply(ev({ kind: "provider" })), ["openai"]);
		assert.deepEqual(
			t.open().map(c => c.provider),
			["gateway", "mcp:filesystem", "openai"],
		);
		assert.deepEqual(t.dropNode("prov-1"), ["openai"], "only provider gauges need a refresh");
	});

	it("fallback reasons become short labels, raw messages a bounded 'other'", () => {
		assert.equal(reasonLabel("rate_limited"), "rate_limited");
		assert.equal(reasonLabel("upstream 503: overloaded, key sk-abcdef0123456789"), "other");
	});
});
