/** One sample of the Prometheus text format. */
export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

/** Parses the Prometheus text exposition format (what /metrics serves) into samples. */
export function parsePrometheus(text: string): Sample[] {
	const out: Sample[] = [];
	for (const line of text.split("\n")) {
		if (!line || line.startsWith("#")) continue;
		const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
		if (!m) continue;
		const labels: Record<string, string> = {};
		for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, "$1");
		out.push({ name: m[1], labels, value: Number(m[3]) });
	}
	return out;
}

/** Samples of a metric whose labels include all the given ones. */
export function samples(all: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
	return all.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Sum of the matching samples' values (0 when none match). */
export function total(all: Sample[], name: string, labels: Record<string, string> = {}): number {
	return samples(all, name, labels).reduce((s, x) => s + x.value, 0);
}
