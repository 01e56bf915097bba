import { type Agent, request } from "node:http";

/**
 * One JSON POST through `agent`; resolves when the whole answer is in, rejects on anything but a 200 (or an MCP tool error).
 * A kept-alive socket that the server closed (its keep-alive timeout, 5 s in Node, ran out while the bench served other
 * targets) can meet the next request: ECONNRESET on a reused socket is sent again once, on a new one, as Node's http
 * documentation advises (`request.reusedSocket`); a bench run ended on it once (2026-12-01 04:19 UTC).
 */
export function post(agent: Agent, url: string, headers: Record<string, string>, body: string, retried = false): Promise<void> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", ...headers } }, res => {
			const chunks: Buffer[] = [];
			res.on("data", c => chunks.push(c));
			res.on("end", () => {
				if (res.statusCode !== 200) return reject(new Error(`${url}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
				const text = Buffer.concat(chunks).toString();
				if (text.includes('"isError":true')) return reject(new Error(`${url}: tool error ${text.slice(0, 300)}`));
				resolve();
			});
		});
		req.on("error", (err: NodeJS.ErrnoException) => {
			if (!retried && req.reusedSocket && err.code === "ECONNRESET") post(agent, url, headers, body, true).then(resolve, reject);
			else reject(err);
		});
		req.end(body);
	});
}
