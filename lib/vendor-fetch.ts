/**
 * `fetch` for the vendor SDKs (their `fetch` option): the same requests and answers as the global fetch,
 * redirects still followed, at less cost per call.
 *
 * Node's fetch (undici) follows the Fetch standard: unless a request is made with `redirect: "error"`,
 * it is cloned before it is sent, in case a redirect has to send it again, and cloning a request tees its
 * body into two web streams. That clone was about a tenth of the bytes an orchestrate request allocated
 * (README "Gateway overhead"), for vendors that never redirect an API call. So a request whose body can be
 * sent again (a string or no body: the SDKs' JSON calls) goes out with `redirect: "error"`, without
 * the clone; if the vendor does answer with a redirect, the same request is sent again as the caller made
 * it, which follows the redirect as before (a 3xx answer means the vendor did not run the first one). A
 * request that sets its own `redirect`, or whose body is bytes or a stream, is sent as it is.
 */
export const vendorFetch: typeof fetch = (input, init) => {
	if (!init || init.redirect !== undefined || !resendable(init.body)) return fetch(input, init);
	return fetch(input, { ...init, redirect: "error" }).catch((err: unknown) => {
		if (!isUnexpectedRedirect(err) || init.signal?.aborted) throw err;
		return fetch(input, init);
	});
};

/** Bodies fetch leaves as they were: a string (the SDKs' JSON), form parameters, none. Bytes are not: fetch detaches their buffer. */
function resendable(body: RequestInit["body"]): boolean {
	return body == null || typeof body === "string" || body instanceof URLSearchParams;
}

/** How undici's fetch fails a `redirect: "error"` request that met a redirect. */
function isUnexpectedRedirect(err: unknown): boolean {
	const cause = (err as { cause?: unknown } | null)?.cause;
	return err instanceof TypeError && cause instanceof Error && cause.message === "unexpected redirect";
}
