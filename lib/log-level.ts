import { choiceEnv } from "./env-number";

/** Moleculer's log levels, most severe first. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * LOGLEVEL, any case (default info); anything else a start-up error naming it and the levels. Moleculer's console
 * logger printed nothing at all, errors included, for a level it does not know (`DEBUG`, `verbose`).
 */
export function logLevel(env: NodeJS.ProcessEnv): LogLevel {
	return choiceEnv(env, "LOGLEVEL", LOG_LEVELS, "info");
}
