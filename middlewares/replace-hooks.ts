import type { ServiceBroker } from "moleculer";

/** The per-call hooks of a middleware that wrap each action or event handler (src/middleware.js `wrapHandler`). */
export type HandlerHook = "localAction" | "remoteAction" | "localEvent";

/** Moleculer's middleware handler, as far as its registered hooks are concerned (src/middleware.js). */
interface MiddlewareHandler {
	list: Record<string, unknown>[];
	registeredHooks: Record<string, unknown[] | undefined>;
}

/**
 * Replaces some per-call hooks of one of the broker's middlewares (by name: Moleculer's internal "Metrics", "Timeout"...)
 * with others, in their place in the broker's list of registered hooks: they wrap each handler at the very place the
 * originals would, in the same order against every other middleware. The middleware's other hooks (`created`, `started`,
 * emit, transit...) stay its own, and the broker still counts it once (`moleculer_broker_middlewares_total`).
 *
 * For the broker's `created` option, which Moleculer runs once every middleware is registered (their `created` hooks have
 * run) and before the services' actions and events are wrapped. Not `internalMiddlewares: false` with Moleculer's list
 * re-registered around a replacement: every broker built from the project's options with its own `middlewares` (tests do)
 * would then silently lose Moleculer's Validator, Retry, Bulkhead and the rest. Returns false, changing nothing, when the
 * broker has no such middleware.
 */
export function replaceHooks(broker: ServiceBroker, name: string, hooks: Partial<Record<HandlerHook, unknown>>): boolean {
	const handler = broker.middlewares as unknown as MiddlewareHandler;
	const original = handler.list.find(mw => mw.name === name);
	if (!original) return false;
	for (const hook of Object.keys(hooks) as HandlerHook[]) {
		const registered = handler.registeredHooks[hook];
		const i = registered && original[hook] ? registered.indexOf(original[hook]) : -1;
		if (registered && i >= 0) registered[i] = hooks[hook];
	}
	return true;
}
