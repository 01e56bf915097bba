/**
 * Intent classifier: READ, WRITE, SEARCH, ANALYZE or MANAGE. Pure and
 * synchronous; the weights were trained offline (`npm run train`) and are
 * loaded once from model.json beside this file.
 */
import { join } from "path";
import type { Intent, RequestContext } from "../../lib/contracts";
import { loadModelFile } from "../../lib/nlp/model-file";
import { predictIntent, type IntentModel } from "./model";

const MODEL = loadModelFile<IntentModel>(join(__dirname, "model.json"), "intent-logreg");

export function classifyIntent(request: string, context?: RequestContext): { intent: Intent; confidence: number } {
	return predictIntent(MODEL, typeof request === "string" ? request : String(request ?? ""), context);
}
