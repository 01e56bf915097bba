/**
 * How often the HTTP server looks for requests past limits.request_timeout_ms (Node's
 * connectionsCheckingInterval, 30 s by default): a quarter of the limit, within 1-30 s, so a
 * stalled request is answered 408 within 1.25 x the limit (at least 1 s after it) rather than up to
 * 30 s late, and a long limit does not make the server scan its connections more than it does today.
 */
export function checkingInterval(requestTimeoutMs: number): number {
	return Math.min(30_000, Math.max(1_000, Math.round(requestTimeoutMs / 4)));
}
