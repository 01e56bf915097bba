/**
 * Settings from the environment, each read the same way: unset or blank means the default, a value is checked, and
 * anything else is a start-up error naming the variable. Read silently, `BULKHEAD_CONCURRENCY=abc` became NaN and a
 * bulkhead that never let a call through: the process ran, never ready, and nothing said why.
 */

interface NumberOptions {
	integer?: boolean;
	unit?: string;
}

function numberEnv<F>(env: NodeJS.ProcessEnv, name: string, fallback: F, min: "positive" | "non-negative", opts: NumberOptions): number | F {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n < 0 || (min === "positive" && n === 0) || (opts.integer && !Number.isInteger(n))) {
		throw new Error(`${name} must be a ${min} ${opts.integer ? "integer" : "number"}${opts.unit ? ` of ${opts.unit}` : ""}, not '${raw}'`);
	}
	return n;
}

/** A positive number: the default when the variable is unset or blank, else the value, and anything else a start-up error naming it. */
export function positiveEnv<F = number>(env: NodeJS.ProcessEnv, name: string, fallback: F, opts: NumberOptions = {}): number | F {
	return numberEnv(env, name, fallback, "positive", opts);
}

/** As positiveEnv, 0 included (LLM_RETRY_AFTER_MAX_MS=0: never wait for a retry-after). */
export function nonNegativeEnv<F = number>(env: NodeJS.ProcessEnv, name: string, fallback: F, opts: NumberOptions = {}): number | F {
	return numberEnv(env, name, fallback, "non-negative", opts);
}

/**
 * A flag: 1/true/yes/on or 0/false/no/off, any case, as config.yaml's flags (lib/config.ts envBoolean); the default when
 * unset or blank. `LLM_STREAM=maybe` was read as off.
 */
export function flagEnv<F = boolean>(env: NodeJS.ProcessEnv, name: string, fallback: F): boolean | F {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	if (/^(1|true|yes|on)$/i.test(raw)) return true;
	if (/^(0|false|no|off)$/i.test(raw)) return false;
	throw new Error(`${name} must be a flag (1/0, true/false, yes/no, on/off), not '${raw}'`);
}

/** A TCP port (0: any free one); the default when unset or blank. `PORT=` became Number("") = 0 and a random port. */
export function portEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number (0-65535), not '${raw}'`);
	return port;
}

/** One of `allowed`, any case; the default when unset or blank. */
export function choiceEnv<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const value = allowed.find(a => a === raw.toLowerCase());
	if (!value) throw new Error(`${name} must be one of ${allowed.join(", ")} (any case), not '${raw}'`);
	return value;
}
