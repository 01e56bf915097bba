export interface BusCount {
	perRequest(requests: number): Record<string, number>;
	close(): Promise<void>;
}

/** Counts the packets on a Moleculer namespace's NATS subjects (MOL-<namespace>.<TYPE>...) from now on, by packet type. */
export async function countBus(url: string, namespace: string): Promise<BusCount> {
	const { connect } = await import("nats");
	const nc = await connect({ servers: url });
	const counts = new Map<string, number>();
	const sub = nc.subscribe(`MOL-${namespace}.>`);
	void (async () => {
		for await (const m of sub) {
			const type = m.subject.split(".")[1];
			counts.set(type, (counts.get(type) ?? 0) + 1);
		}
	})();
	await nc.flush();
	return {
		close: () => nc.close(),
		perRequest: requests => Object.fromEntries([...counts].sort().map(([k, n]) => [k, requests ? Math.round((n / requests) * 1000) / 1000 : 0])),
	};
}
