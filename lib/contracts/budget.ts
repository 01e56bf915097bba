/** The budget service's actions (issue 14): what a model call reserves, settles or releases, and a key's spend query. */
import { z } from "zod";

/** What `budget.reserve` holds for one call and `settle`/`release` hand back (counters of one key and period). */
export const ReservationSchema = z.object({
	key: z.string(),
	day: z.string().describe("UTC day of the reservation, YYYY-MM-DD"),
	month: z.string().describe("UTC month, YYYY-MM"),
	minute: z.number().int().describe("Minute index since the epoch (the tokens-per-minute window)"),
	nano: z.number().describe("Reserved cost, nano-USD"),
	tokens: z.number(),
	epochs: z
		.tuple([z.string(), z.string()])
		.optional()
		.describe(
			"Which rebuild of the key's Redis day and month counters it went into: settled after another, which never counted it, it adds its whole cost there",
		),
});
export type Reservation = z.infer<typeof ReservationSchema>;

/** `budget.admit` params. */
export const AdmitParamsSchema = z.object({ key: z.string() });

/** `budget.reserve` params: the call's worst case (its whole max_tokens). */
export const ReserveParamsSchema = z.object({ key: z.string(), model: z.string(), input_tokens: z.number().int().min(0), max_tokens: z.number().int().min(0) });
export type ReserveParams = z.infer<typeof ReserveParamsSchema>;

/** `budget.settle` params: the usage the vendor reported (or we estimated). */
export const SettleParamsSchema = z.object({ reservation: ReservationSchema, model: z.string(), input_tokens: z.number(), output_tokens: z.number() });
export type SettleParams = z.infer<typeof SettleParamsSchema>;

/** `budget.release` params: the call failed, nothing was spent. */
export const ReleaseParamsSchema = z.object({ reservation: ReservationSchema });

/** `budget.spend` params (`GET /api/spend?key=…&period=day|month`); key defaults to the caller's. */
export const SpendParamsSchema = z.object({ key: z.string().optional(), period: z.enum(["day", "month"]).optional() });
