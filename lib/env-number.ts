/**
 * A positive number from the environment: the default when the variable is unset or blank, else the value, and
 * anything else a start-up error naming the variable. Read silently, `BULKHEAD_CONCURRENCY=abc` became NaN and a
 * bulkhead that never let a call through: the process ran, never ready, and nothing said why.
 */
export function positiveEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, { integer = false, unit = "" } = {}): number {
	const raw = env[name]?.trim();
	if (!raw) return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
		throw new Error(`${name} must be a positive ${integer ? "integer" : "number"}${unit ? ` of ${unit}` : ""}, not '${raw}'`);
	}
	return n;
}
