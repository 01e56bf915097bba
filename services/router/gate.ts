/**
 * The router's decision as the service makes it: the rules of route.ts, with a zero-token answer
 * gated by the learned P(tool answerable) of answerable.ts and the intent model's confidence. Only
 * requests the rules would answer with a tool are scored, so the model costs nothing on the rest.
 */
import type { Route } from "../../lib/contracts";
import { answerableProbability, shippedAnswerable, type AnswerableModel } from "./answerable";
import { chooseRoute, fileOp, type LiveMcpService, type RouteInput } from "./route";

export function gatedRoute(input: RouteInput, services: readonly LiveMcpService[], model: AnswerableModel | null = shippedAnswerable()): Route {
	if (!model || !services.length || input.answerable !== undefined) return chooseRoute(input, services);
	const found = fileOp(input.request, input.intent);
	// A full cover is not gated on P(answerable) (route.ts, zeroTokenAllowed): the model is not run for it.
	if (!found || found.chain || found.cover) return chooseRoute(input, services, found);
	return chooseRoute({ ...input, answerable: answerableProbability(model, input.request, input.context) }, services, found);
}
