import type { Config } from "../../lib/config";
import { errorMessage } from "../../lib/errors";
import { failureReason } from "../../lib/provider-errors";
import type { Attempt } from "../../lib/types";
import type { ProviderTry } from "../../mixins/provider.mixin";

/**
 * The attempts one provider call produced: the tries the provider recorded (one per Moleculer
 * retry), plus the final error when it never reached a provider (caller-side timeout, node gone,
 * no endpoint), which only the caller can see.
 */
export function callAttempts(base: { provider: string; model: string; service: string }, tries: ProviderTry[], err?: unknown): Attempt[] {
	const out: Attempt[] = tries.map(t => ({
		...base,
		service: t.service,
		node: t.node,
		ok: t.ok,
		...(t.reason ? { reason: t.reason } : {}),
		...(t.error ? { error: t.error } : {}),
		ms: t.ms,
	}));
	if (err !== undefined) {
		const fromProvider = typeof (err as { data?: { reason?: unknown } })?.data?.reason === "string";
		const last = out[out.length - 1];
		if (!fromProvider || !last || last.ok) out.push({ ...base, ok: false, reason: failureReason(err), error: errorMessage(err) });
	}
	return out;
}

/**
 * Fallbacks of a request: each move to another model or provider service, with why the previous one
 * failed. A model no live provider serves was never tried: skipping it is not a fallback (with nothing
 * configured, every request would otherwise count as several).
 */
export function fallbackEdges(all: Attempt[]): { from: string; to: string; reason: string }[] {
	const attempts = all.filter(a => a.reason !== "no_provider");
	const edges: { from: string; to: string; reason: string }[] = [];
	for (let i = 1; i < attempts.length; i++) {
		const prev = attempts[i - 1];
		const cur = attempts[i];
		if (prev.model === cur.model && prev.provider === cur.provider) continue; // a retry, not a fallback
		edges.push({ from: prev.model, to: cur.model, reason: prev.reason ?? "error" });
	}
	return edges;
}

/**
 * The model a finished request is counted under in the metrics: the one that answered, else the last
 * one a provider was actually asked (a failed request no provider could take is credited to none).
 */
export function creditedModel(status: "ok" | "error" | "dry_run", model: string | null, attempts: Attempt[]): string | null {
	if (status !== "error") return model;
	const tried = attempts.filter(a => a.reason !== "no_provider");
	return tried.length ? tried[tried.length - 1].model : null;
}

/** The final error's text: which models were tried and why each failed, or what to set when none is served. */
export function failureSummary(attempts: Attempt[], config: Config): { message: string; noProvider: boolean; env: string[] } {
	if (!attempts.length) return { message: "no model to try", noProvider: true, env: [] };
	if (attempts.every(a => a.reason === "no_provider")) {
		const providers = [...new Set(attempts.map(a => a.provider))];
		const env = providers.flatMap(p => config.providers[p]?.env ?? []);
		const hints = providers.map(p => {
			const vars = config.providers[p]?.env ?? [];
			return vars.length ? `${vars.join(" or ")} (${p})` : `a ${p} provider`;
		});
		const models = [...new Set(attempts.map(a => a.model))].join(", ");
		return { message: `no live provider serves ${models}; set ${hints.join(", ")} to enable one (see docs/providers.md)`, noProvider: true, env };
	}
	const lines = attempts.map(a => `${a.model}@${a.service ?? a.provider}: ${a.reason ?? "error"}${a.error ? ` (${a.error})` : ""}`);
	return { message: `every model failed: ${lines.join("; ")}`, noProvider: false, env: [] };
}
