import { strict as assert } from "assert";
import { decodeEmbeddings, embeddingTokens, encodeEmbeddings, meanVector, shippedEmbeddings, sifWeight } from "../../../../lib/nlp/embeddings";

const cosine = (a: Float32Array, b: Float32Array) => {
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (let i = 0; i < a.length; i++) {
		dot += a[i] * b[i];
		na += a[i] * a[i];
		nb += b[i] * b[i];
	}
	return dot / Math.sqrt(na * nb);
};

describe("word embeddings (lib/nlp/embeddings.ts)", () => {
	it("round-trips words, ranks and unit vectors through the 8-bit file within quantization error", () => {
		const rows = [Float32Array.from([3, 4, 0]), Float32Array.from([0, -2, 2]), Float32Array.from([1, 1, 1])];
		const emb = decodeEmbeddings(encodeEmbeddings(["alpha", "beta", "gamma"], [0, 7, 42], rows, "test"));
		assert.equal(emb.dims, 3);
		assert.deepEqual([...emb.index.keys()], ["alpha", "beta", "gamma"]);
		assert.deepEqual([...emb.ranks], [0, 7, 42]);
		const beta = [0, 1, 2].map(d => emb.q[3 + d] * emb.scales[1]);
		assert.ok(Math.abs(beta[1] + Math.SQRT1_2) < 0.01 && Math.abs(beta[2] - Math.SQRT1_2) < 0.01, String(beta));
	});

	it("refuses a file that is not an embeddings file", () => {
		assert.throws(() => decodeEmbeddings(Buffer.from("JSON{}")), /bad magic/);
	});

	it("splits identifiers into the words GloVe knows and drops digits", () => {
		assert.deepEqual(embeddingTokens("getUserName in snake_case v2"), ["get", "user", "name", "in", "snake", "case", "v"]);
	});

	it("cuts words at each lower-to-upper step exactly as a regex split at (?<=[a-z])(?=[A-Z]) does, and stops at max", () => {
		// The split the loop replaces, kept here as the reference.
		const reference = (text: string, max = 400) => {
			const out: string[] = [];
			const re = /[A-Za-z]+/g;
			let m: RegExpExecArray | null;
			while ((m = re.exec(text)) && out.length < max) for (const part of m[0].split(/(?<=[a-z])(?=[A-Z])/)) out.push(part.toLowerCase());
			return out;
		};
		const alphabet = "aZbYcXQqRr _-9.\nÉé";
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const texts = ["ABCdefGHi", "aBCdEF", "XMLHttpRequest parseJSONBody iOS", "a", "", "éÉaÉb"];
		for (let i = 0; i < 500; i++)
			texts.push(Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
		for (const text of texts) for (const max of [400, 3]) assert.deepEqual(embeddingTokens(text, max), reference(text, max), JSON.stringify(text));
	});

	it("weights frequent words less than rare ones (smooth inverse frequency)", () => {
		assert.ok(sifWeight(0) < 0.1 && sifWeight(20000) > 0.9);
	});

	it("averages only known words, so unknown tokens leave the vector at zero", () => {
		const emb = decodeEmbeddings(encodeEmbeddings(["known"], [100], [Float32Array.from([1, 0])], "test"));
		const out = new Float32Array(2);
		assert.equal(meanVector(emb, ["zzz", "known"], out), 1);
		assert.ok(Math.abs(out[0] - 1) < 0.01);
		assert.equal(meanVector(emb, ["zzz"], out), 0);
		assert.deepEqual([...out], [0, 0]);
	});

	it("ships vectors where a paraphrase is nearer than an unrelated ask", () => {
		const emb = shippedEmbeddings();
		assert.ok(emb, "data/embeddings/glove-100d-q8.bin is missing (npm run build:embeddings)");
		const v = (s: string) => {
			const out = new Float32Array(emb.dims);
			meanVector(emb, embeddingTokens(s), out);
			return out;
		};
		assert.ok(cosine(v("delete the file"), v("remove the document")) > cosine(v("delete the file"), v("explain quantum physics")) + 0.2);
	});
});
