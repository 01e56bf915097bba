import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "moleculer";
import { Errors } from "moleculer";
import { presentedKey, unauthorized, type KeyMeta, type KeyTable } from "../../lib/auth/keys";
import { cancelOnHangUp, type CancelMeta } from "../../lib/cancel";

/**
 * Origins allowed to reach /mcp, /api and /v1 from a browser (`ALLOWED_ORIGINS`, comma list). Left unset, only
 * this machine's own origins: the MCP transport's rule against DNS rebinding, where a page on a
 * foreign site points its own host name at 127.0.0.1 and talks to a local server.
 */
export function allowedOrigins(env: NodeJS.ProcessEnv): string[] | undefined {
	const list = (env.ALLOWED_ORIGINS ?? "")
		.split(",")
		.map(s => s.trim().replace(/\/+$/, ""))
		.filter(Boolean);
	return list.length ? list : undefined;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** No Origin header (a desktop client, curl, an SDK) is not a browser and passes; a browser's origin must be allowed. */
export function originAllowed(origin: string | undefined, allowed: string[] | undefined): boolean {
	if (!origin) return true;
	if (allowed) return allowed.includes("*") || allowed.includes(origin.replace(/\/+$/, ""));
	try {
		const u = new URL(origin);
		return (u.protocol === "http:" || u.protocol === "https:") && LOCAL_HOSTS.has(u.hostname);
	} catch {
		return false;
	}
}

export function foreignOrigin(origin: string): Errors.MoleculerClientError {
	return new Errors.MoleculerClientError(`origin '${origin}' is not allowed: add it to ALLOWED_ORIGINS`, 403, "forbidden_origin");
}

/**
 * moleculer-web's `authenticate` for every route but /health and the status page: a browser's foreign
 * Origin is refused first (403, originAllowed), on /api and /v1 as on /mcp: a DNS-rebinding page sees
 * its calls to 127.0.0.1 as same-origin, needs no preflight, and would spend through an open gateway.
 * Then the caller's key, by name only, goes into `ctx.meta.key` for every service downstream; its
 * requests_per_minute is counted here, once per HTTP request. So is the request's cancel token (`ctx.meta.cancel`): a
 * client that hangs up before its answer aborts the vendor calls made for it (lib/cancel.ts).
 */
export function authenticateWith(keys: KeyTable, origins: string[] | undefined) {
	return async function authenticate(ctx: Context<unknown, KeyMeta & CancelMeta>, _route: unknown, req: IncomingMessage, res: ServerResponse) {
		const origin = req.headers.origin;
		if (!originAllowed(origin, origins)) throw foreignOrigin(origin!);
		cancelOnHangUp(ctx.broker, ctx.meta, res);
		if (keys.open) return null;
		const presented = presentedKey(req.headers);
		const policy = keys.authenticate(presented);
		if (!policy) throw unauthorized(!!presented);
		ctx.meta.key = { name: policy.name };
		if (policy.requests_per_minute) await ctx.call("budget.admit", { key: policy.name }, { retries: 0 });
		return null;
	};
}
