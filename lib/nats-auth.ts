import { tokenAuthenticator, usernamePasswordAuthenticator, type Authenticator } from "nats";
import { redact } from "./errors";

/** What the NATS client is given: the server URLs without credentials, and the credentials, if any, apart. */
export interface NatsConnection {
	url: string;
	authenticator?: Authenticator;
}

/**
 * TRANSPORTER (a nats:// URL, or a comma list of them) and NATS_TOKEN as the NATS client takes them. The credentials
 * travel in an authenticator, a function the client calls when it connects: never in the URL or in an option string,
 * which Moleculer's `$node.options`, the REPL's `info` and the transporter's own logs print (Moleculer copies a URL's
 * user and password into its options as strings). A URL with credentials still works, read the way NATS reads one:
 * `nats://user:password@host:4222`, or `nats://token@host:4222` (Moleculer 0.14 sent a lone name as a user, which a
 * token server refuses). NATS_TOKEN and credentials in the URL are two answers to one question: a start-up error.
 */
export function natsConnection(transporter: string, token: string | undefined): NatsConnection {
	const credentials = new Set<string>();
	let auth: Authenticator | undefined;
	const servers = transporter.split(",").map(part => {
		let url: URL;
		try {
			url = new URL(part.trim());
		} catch {
			throw new Error(`TRANSPORTER must be a nats://host:port URL (or a comma list of them), not '${redact(part.trim())}'`);
		}
		if (url.username || url.password) {
			const user = decodeURIComponent(url.username);
			const pass = decodeURIComponent(url.password);
			credentials.add(`${user}\n${pass}`);
			auth ??= url.password ? usernamePasswordAuthenticator(user, pass) : tokenAuthenticator(user);
			url.username = "";
			url.password = "";
		}
		return url.href;
	});
	if (credentials.size > 1) throw new Error("TRANSPORTER's servers carry different credentials: give them all the same");
	if (token && auth)
		throw new Error("NATS_TOKEN is set and TRANSPORTER's URL carries credentials too: use one of them (NATS_TOKEN keeps them out of the URL)");
	if (token) auth = tokenAuthenticator(token);
	if (!auth) return { url: servers.join(",") };
	const given = auth;
	// Named, so that the REPL's `info` shows that credentials are set ([Function natsCredentials]) without their value.
	return {
		url: servers.join(","),
		authenticator: function natsCredentials(nonce?: string) {
			return given(nonce);
		},
	};
}
