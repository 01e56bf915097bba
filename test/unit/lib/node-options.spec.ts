import { strict as assert } from "node:assert";
import { rememberSecrets } from "../../../lib/errors";
import { redactedCopy } from "../../../lib/node-options";

describe("lib/node-options redactedCopy ($node.options)", () => {
	it("drops the credentials Moleculer's options carry (a Redis cacher's, a TRANSPORTER URL's) and keeps the rest", () => {
		rememberSecrets({ CACHER: "redis://:r3dis-passw0rd@redis:6379" });
		// The shapes Moleculer 0.14 answered for CACHER=redis://:r3dis-passw0rd@redis:6379 and a NATS URL with credentials.
		const options = {
			namespace: "demo",
			cacher: {
				opts: { prefix: "MOL-demo-", redis: { host: "redis", port: 6379, password: "r3dis-passw0rd" } },
				client: { condition: { select: 0, auth: "r3dis-passw0rd" } },
			},
			transporter: { type: "NATS", options: { url: "nats://orchestrator:n4ts-passw0rd@nats:4222", user: "orchestrator", pass: "n4ts-passw0rd" } },
			middlewares: ["BusAuth"],
			heartbeatTimeout: 8,
			tracing: { enabled: false },
		};
		const copy = redactedCopy(options) as typeof options;
		assert.doesNotMatch(JSON.stringify(copy), /passw0rd/);
		assert.equal(copy.cacher.opts.redis.password, "[redacted]");
		assert.equal(copy.transporter.options.url, "nats://[redacted]@nats:4222");
		assert.deepEqual(
			{ ...copy, cacher: undefined, transporter: undefined },
			{ ...options, cacher: undefined, transporter: undefined },
			"everything else as it was",
		);
		assert.equal(copy.cacher.opts.redis.host, "redis");
	});
});
