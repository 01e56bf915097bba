import { randomBytes } from "node:crypto";
import { defaultText, deltas, FakeVendor, type Behaviour, type Dialect } from "./vendor";

const STATUS: Record<number, { status: string; message: string }> = {
	400: { status: "INVALID_ARGUMENT", message: "Request contains an invalid argument." },
	403: {
		status: "PERMISSION_DENIED",
		message:
			"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
	},
	404: { status: "NOT_FOUND", message: "models/unknown is not found for API version v1beta, or is not supported for generateContent." },
	429: { status: "RESOURCE_EXHAUSTED", message: "You exceeded your current quota, please check your plan and billing details." },
	500: {
		status: "INTERNAL",
		message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
	},
	503: { status: "UNAVAILABLE", message: "The model is overloaded. Please try again later." },
	504: { status: "DEADLINE_EXCEEDED", message: "Deadline expired before operation could complete." },
};

function usage(b: { input_tokens?: number; output_tokens?: number }) {
	const input = b.input_tokens ?? 17;
	const output = b.output_tokens ?? 7;
	return {
		promptTokenCount: input,
		candidatesTokenCount: output,
		totalTokenCount: input + output,
		promptTokensDetails: [{ modality: "TEXT", tokenCount: input }],
	};
}

/** The answer's parts: the text, or one functionCall per scripted tool call (Gemini ends those turns with STOP too). */
function parts(b: Extract<Behaviour, { kind: "ok" }>, model: string | undefined): unknown[] {
	if (b.toolCalls) return b.toolCalls.map(c => ({ functionCall: { name: c.name, args: JSON.parse(c.arguments) }, thoughtSignature: "c2lnbmF0dXJl" }));
	return [{ text: b.text ?? defaultText("gemini", model) }];
}

function invalidArgument(message: string) {
	return { status: 400, body: { error: { code: 400, message, status: "INVALID_ARGUMENT" } } };
}

/** The Gemini API's generateContent / streamGenerateContent wire format (v1beta). */
export const geminiDialect: Dialect = {
	name: "gemini",
	route(method, url) {
		const m = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
		if (method === "POST" && m) return { kind: "complete", model: decodeURIComponent(m[1]), stream: m[2] === "streamGenerateContent" };
		if (method === "GET" && url.pathname === "/v1beta/models") return { kind: "models", stream: false };
		return undefined;
	},
	apiKey: (req, url) => (req.headers["x-goog-api-key"] as string | undefined) ?? url.searchParams.get("key") ?? undefined,
	// A part with none of its data fields set (an empty text is no text) or a content without parts: what the API refuses.
	invalid(_req, body) {
		const contents: { parts?: Record<string, unknown>[] }[] = Array.isArray(body?.contents) ? body.contents : [];
		for (const [i, c] of contents.entries()) {
			if (!c.parts?.length) return invalidArgument(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
			for (const [j, p] of c.parts.entries())
				if (!Object.entries(p).some(([k, v]) => k !== "thought" && k !== "thoughtSignature" && v !== "" && v !== undefined))
					return invalidArgument(
						`* GenerateContentRequest.contents[${i}].parts[${j}].data: required oneof field 'data' must have one initialized field`,
					);
		}
		return undefined;
	},
	success(route, _body, b) {
		return {
			candidates: [{ content: { parts: parts(b, route.model), role: "model" }, finishReason: b.finish ?? "STOP", index: 0 }],
			usageMetadata: usage(b),
			modelVersion: route.model,
			responseId: randomBytes(9).toString("base64url"),
		};
	},
	stream(route, _body, b) {
		// Text in a few chunks; function calls whole, one chunk each, as Gemini streams them.
		const pieces: unknown[][] = b.toolCalls
			? parts(b, route.model).map(p => [p])
			: deltas(b.text ?? defaultText("gemini", route.model)).map(text => [{ text }]);
		const responseId = randomBytes(9).toString("base64url");
		return pieces.map((piece, i) => {
			const last = i === pieces.length - 1;
			const chunk = {
				candidates: [{ content: { parts: piece, role: "model" }, ...(last ? { finishReason: b.finish ?? "STOP" } : {}), index: 0 }],
				usageMetadata: last ? usage(b) : { promptTokenCount: b.input_tokens ?? 17, totalTokenCount: b.input_tokens ?? 17 },
				modelVersion: route.model,
				responseId,
			};
			return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
		});
	},
	error(status, message, retryAfter) {
		const k = STATUS[status] ?? { status: "UNKNOWN", message: `HTTP ${status}` };
		const details =
			status === 429
				? [
						{
							"@type": "type.googleapis.com/google.rpc.QuotaFailure",
							violations: [
								{
									quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
									quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
								},
							],
						},
						...(retryAfter ? [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${retryAfter}s` }] : []),
					]
				: undefined;
		return { body: { error: { code: status, message: message ?? k.message, status: k.status, ...(details ? { details } : {}) } } };
	},
	// The Gemini API answers a bad key with 400 INVALID_ARGUMENT, not 401.
	badKey: () => ({
		status: 400,
		body: {
			error: {
				code: 400,
				message: "API key not valid. Please pass a valid API key.",
				status: "INVALID_ARGUMENT",
				details: [
					{
						"@type": "type.googleapis.com/google.rpc.ErrorInfo",
						reason: "API_KEY_INVALID",
						domain: "googleapis.com",
						metadata: { service: "generativelanguage.googleapis.com" },
					},
				],
			},
		},
	}),
	models: ids => ({ models: ids.map(m => ({ name: `models/${m}`, displayName: m, supportedGenerationMethods: ["generateContent", "countTokens"] })) }),
	notFound: path => ({ status: 404, body: { error: { code: 404, message: `Not found: ${path}`, status: "NOT_FOUND" } } }),
};

export function fakeGemini(opts: { apiKey?: string; models?: string[] } = {}): Promise<FakeVendor> {
	return new FakeVendor(geminiDialect, opts.apiKey, opts.models ?? ["gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.5-pro"]).start();
}
