/**
 * Intent classifier: READ, WRITE, SEARCH, ANALYZE or MANAGE. Pure and
 * synchronous; the weights were trained offline (`npm run train`) and are
 * loaded once from model.json beside this file.
 */
import { join } from "path";
import { loadModelFile } from "../../lib/nlp/model-file";
import { predictIntent, type IntentModel, type IntentResult } from "./model";

export type { Intent } from "../../lib/nlp/features";
export type { IntentResult } from "./model";

const MODEL = loadModelFile<IntentModel>(join(__dirname, "model.json"), "intent-logreg");

export function classifyIntent(request: string, context?: Record<string, unknown>): IntentResult {
  return predictIntent(MODEL, typeof request === "string" ? request : String(request ?? ""), context);
}
