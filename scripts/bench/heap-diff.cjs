/**
 * node scripts/bench/heap-diff.cjs <before.heapsnapshot> [<after.heapsnapshot> [rows]]
 *
 * Which kinds of object grew between two heap snapshots (scripts/bench/heap.cjs writes them): objects counted
 * and self bytes summed by "<type> <constructor or name>" (strings by type only), the largest growths first.
 */
"use strict";
const { readFileSync } = require("node:fs");

function tally(file) {
	const { snapshot, nodes, strings } = JSON.parse(readFileSync(file, "utf8"));
	const fields = snapshot.meta.node_fields;
	const types = snapshot.meta.node_types[0];
	const [T, N, S] = ["type", "name", "self_size"].map(f => fields.indexOf(f));
	const out = new Map();
	for (let i = 0; i < nodes.length; i += fields.length) {
		const type = types[nodes[i + T]];
		const key =
			type === "string" || type === "concatenated string" || type === "sliced string" || type === "number" || type === "code"
				? type
				: `${type} ${strings[nodes[i + N]].slice(0, 60)}`;
		const row = out.get(key) ?? { count: 0, bytes: 0 };
		row.count++;
		row.bytes += nodes[i + S];
		out.set(key, row);
	}
	return out;
}

// One snapshot: its largest kinds of object (a diff from nothing).
const [before, after] = process.argv[3] ? [process.argv[2], process.argv[3]].map(tally) : [new Map(), tally(process.argv[2])];
const rows = [...after].map(([k, a]) => {
	const b = before.get(k) ?? { count: 0, bytes: 0 };
	return { key: k, count: a.count - b.count, bytes: a.bytes - b.bytes, total: a.bytes };
});
const sum = (m, f) => [...m.values()].reduce((s, r) => s + r[f], 0);
console.log(
	`before: ${sum(before, "count")} objects ${(sum(before, "bytes") / 1048576).toFixed(1)} MB; after: ${sum(after, "count")} objects ${(sum(after, "bytes") / 1048576).toFixed(1)} MB`,
);
for (const r of rows.sort((x, y) => y.bytes - x.bytes).slice(0, Number(process.argv[4] ?? 25)))
	console.log(`${String(r.count).padStart(9)} objects ${(r.bytes / 1024).toFixed(0).padStart(9)} KB (now ${(r.total / 1024).toFixed(0)} KB)  ${r.key}`);
