import { Utils, type Context } from "moleculer";
import { redact } from "./errors";

/** Option names whose value is a credential (the Redis client's `password` and `auth`, a NATS `token` or `pass`...). */
const CREDENTIAL_KEY = /^(pass|password|auth|auth_?token|token|secret|api_?key|authorization|credentials)$/i;

/** A copy of `value` with every credential-named field replaced and every string redacted (URL user info, known secrets). */
export function redactedCopy(value: unknown): unknown {
	if (typeof value === "string") return redact(value);
	if (Array.isArray(value)) return value.map(redactedCopy);
	if (value && typeof value === "object")
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, CREDENTIAL_KEY.test(k) && v != null && v !== "" ? "[redacted]" : redactedCopy(v)]));
	return value;
}

/**
 * `$node.options` as Moleculer answers it (the broker's options, any node may ask any other over the bus, the REPL's
 * `call $node.options` prints it), with credentials redacted: Moleculer's answered the Redis cacher's password twice
 * (its client's `password` and `auth`), and a TRANSPORTER URL's user and password.
 */
export function redactedNodeOptions() {
	return {
		cache: false,
		tracing: false,
		params: {},
		handler(this: { broker: Context["broker"] }) {
			const options = this.broker.options;
			return redactedCopy(Utils.safetyObject(options, options as { maxSafeObjectSize?: number }));
		},
	};
}
