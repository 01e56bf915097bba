import { strict as assert } from "node:assert";
import { extractFeatures, type FeatureOptions } from "../../../../lib/nlp/features";
import { normalize, words } from "../../../../lib/nlp/text";

describe("lib/nlp/features", () => {
	describe("extractFeatures", () => {
		const opts: FeatureOptions = { charWeight: 0, shapeWeight: 0.5, cueWeight: 0, cues: "clausal" };

		it("names one w: feature per generalised, stemmed word, as words() reads the text", () => {
			const text = "Deploying v1.2.3 to prod at 10:30 broke src/app.ts; mail ops@acme.io, 3 pods restarted";
			const got = [...extractFeatures(text, undefined, opts).keys()].filter(k => k.startsWith("w:")).sort();
			const want = [...new Set(words(normalize(text)).map(w => `w:${w}`))].sort();
			assert.deepEqual(got, want);
			assert.ok(got.includes("w:<ver>") && got.includes("w:<path>") && got.includes("w:<email>") && got.includes("w:deploy"));
		});

		it("answers a text the same on every call, its words' forms remembered from the first (the per-token memo)", () => {
			for (const text of ["Explain the difference between TCP and UDP in two sentences.", "restarting the pods, deploying v2.0 and src/main.go"]) {
				const first = [...extractFeatures(text, undefined, { ...opts, cueWeight: 0.7 })];
				for (let i = 0; i < 3; i++) assert.deepEqual([...extractFeatures(text, undefined, { ...opts, cueWeight: 0.7 })], first);
			}
		});
	});
});
