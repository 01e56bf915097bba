import { type Agent, request } from "node:http";

/** One JSON POST through `agent`; resolves when the whole answer is in, rejects on anything but a 200 (or an MCP tool error). */
export function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<void> {
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
		req.on("error", reject);
		req.end(body);
	});
}
