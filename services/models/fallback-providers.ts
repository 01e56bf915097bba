import type { Config } from "../../lib/config";

/**
 * How many providers other than `current` could still answer if the try under way hangs: the providers of the
 * chain's later models that a live service can serve (`servable`: lib/registry.ts, its action available), and that
 * do not already hold the request (`mayHave`: the walk never sends it to them again). Only these are worth keeping
 * time for; a later model of the same provider is skipped after a timeout, and one nobody serves takes none.
 */
export function fallbackProviders(
	catalog: Config,
	later: readonly string[],
	current: string,
	mayHave: ReadonlySet<string>,
	servable: (model: string) => boolean,
): number {
	const others = new Set<string>();
	for (const model of later) {
		const provider = catalog.models[model]?.provider;
		if (!provider || provider === current || mayHave.has(provider) || others.has(provider)) continue;
		if (servable(model)) others.add(provider);
	}
	return others.size;
}
