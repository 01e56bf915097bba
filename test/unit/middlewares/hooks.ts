import { strict as assert } from "node:assert";
import type { BrokerOptions, ServiceBroker } from "moleculer";
import { brokerCreated, LEAN_HOOKS } from "../../../moleculer.config";

/** The production broker's options with Moleculer's own `name` middleware hooks (brokerCreated's other swaps kept). */
export function withMoleculerHooks(opts: BrokerOptions, name: string): BrokerOptions {
	assert.equal(opts.created, brokerCreated);
	assert.ok(LEAN_HOOKS[name], name);
	return {
		...opts,
		created: (b: ServiceBroker) => {
			for (const [other, use] of Object.entries(LEAN_HOOKS)) if (other !== name) use(b);
		},
	};
}

type Handler = { list: { name?: string; [hook: string]: unknown }[]; registeredHooks: Record<string, unknown[]> };
const handlerOf = (b: ServiceBroker) => b.middlewares as unknown as Handler;

/**
 * `ours` has, for each of `hooks`, the same registered hooks as `moleculer` (compared by source: two brokers, two closures)
 * but the `name` middleware's, replaced by `replacement[hook]` in its place; and the same middlewares.
 */
export function assertSwappedInPlace(ours: ServiceBroker, moleculer: ServiceBroker, name: string, replacement: Record<string, unknown>): void {
	assert.deepEqual(
		handlerOf(ours).list.map(mw => mw.name),
		handlerOf(moleculer).list.map(mw => mw.name),
	);
	for (const [hook, theirs] of Object.entries(handlerOf(moleculer).registeredHooks)) {
		const mine = handlerOf(ours).registeredHooks[hook].map(String);
		const original = handlerOf(moleculer).list.find(mw => mw.name === name)![hook];
		const at = original ? theirs.indexOf(original) : -1;
		if (!(hook in replacement)) {
			assert.deepEqual(mine, theirs.map(String), hook);
			continue;
		}
		assert.ok(at >= 0, `${name} has a ${hook} hook`);
		assert.ok(!handlerOf(ours).registeredHooks[hook].includes(handlerOf(ours).list.find(mw => mw.name === name)![hook]), hook);
		assert.deepEqual(mine, [...theirs.slice(0, at).map(String), String(replacement[hook]), ...theirs.slice(at + 1).map(String)], hook);
	}
}
