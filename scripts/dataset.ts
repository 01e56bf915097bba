/** Loading of the labeled request set shipped in data/train/. */
import { readFileSync } from "fs";
import { join } from "path";
import type { LabeledRequest } from "../services/intent/model";

export const TRAIN_FILE = join(__dirname, "..", "data", "train", "requests-dev.jsonl");

export function loadLabeledRequests(path = TRAIN_FILE): LabeledRequest[] {
	return readFileSync(path, "utf8")
		.split("\n")
		.filter((line) => line.trim())
		.map((line) => JSON.parse(line) as LabeledRequest);
}
