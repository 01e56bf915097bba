import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";
import type { Config } from "../../../lib/config";
import { errorBody, type ApiFormat } from "./api-error";
import { answer, apiErrorOf, StickyModels } from "./answer";
import { fromAnthropicRequest, toAnthropicEvents, toAnthropicResponse } from "./anthropic-wire";
import type { NeutralRequest } from "./neutral";
import { fromOpenAIRequest, toOpenAIChunks, toOpenAIResponse } from "./openai-wire";

type Req = IncomingMessage & { body?: unknown; headers: IncomingMessage["headers"] };
type Handler = (this: { broker: ServiceBroker }, req: Req, res: ServerResponse) => Promise<void>;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
	res.setHeader("Content-Type", "application/json; charset=utf-8");
	res.writeHead(status);
	res.end(JSON.stringify(body));
}

function startSse(res: ServerResponse, headers: Record<string, string>) {
	for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
	res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
	res.setHeader("Cache-Control", "no-cache");
	res.writeHead(200);
}

/**
 * The OpenAI- and Anthropic-compatible endpoints (`/v1`): moleculer-web aliases whose handlers
 * read the vendor's wire format, answer through services/gateway/v1/answer.ts and write the same
 * format back. A streamed answer is produced by the whole walk before the first byte is sent, so a
 * provider that fails is replaced invisibly; every stream ends with `[DONE]` / `message_stop`.
 */
export function v1Aliases(config: Config): Record<string, Handler> {
	const sticky = new StickyModels();

	const handle = (format: ApiFormat, parse: (body: unknown) => NeutralRequest, write: (res: ServerResponse, req: NeutralRequest, a: Awaited<ReturnType<typeof answer>>) => void): Handler =>
		async function (this: { broker: ServiceBroker }, req: Req, res: ServerResponse) {
			try {
				const nreq = parse(req.body);
				const a = await answer(this.broker, config, sticky, nreq, req.headers);
				write(res, nreq, a);
			} catch (err) {
				const e = apiErrorOf(err);
				if (!res.headersSent) send(res, e.status, errorBody(format, e));
				else {
					// A stream already under way ends with an error event in the API's format, never a clean end.
					res.end(format === "anthropic" ? `event: error\ndata: ${JSON.stringify(errorBody(format, e))}\n\n` : `data: ${JSON.stringify(errorBody(format, e))}\n\n`);
				}
			}
		};

	return {
		"POST chat/completions": handle("openai", fromOpenAIRequest, (res, nreq, a) => {
			if (!nreq.stream) return send(res, 200, toOpenAIResponse(a.result), a.headers);
			startSse(res, a.headers);
			for (const chunk of toOpenAIChunks(a.result, !!nreq.include_usage)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end("data: [DONE]\n\n");
		}),
		"POST messages": handle("anthropic", fromAnthropicRequest, (res, nreq, a) => {
			if (!nreq.stream) return send(res, 200, toAnthropicResponse(a.result), a.headers);
			startSse(res, a.headers);
			for (const [event, data] of toAnthropicEvents(a.result)) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
			res.end();
		}),
		async "GET models"(this: { broker: ServiceBroker }, _req: Req, res: ServerResponse) {
			try {
				const catalog = await this.broker.call<{ id: string; provider: string; live: boolean }[]>("models.catalog");
				const data = [{ id: "auto", object: "model", created: 0, owned_by: "orchestrator" }, ...catalog.filter(m => m.live).map(m => ({ id: m.id, object: "model", created: 0, owned_by: m.provider }))];
				send(res, 200, { object: "list", data });
			} catch (err) {
				const e = apiErrorOf(err);
				send(res, e.status, errorBody("openai", e));
			}
		},
	};
}
