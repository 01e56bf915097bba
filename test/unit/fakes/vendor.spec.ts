import { strict as assert } from "node:assert";
import { connect } from "node:net";
import { fakeOpenAI } from "../../fakes/openai";
import type { FakeVendor } from "../../fakes/vendor";

/** Sends the headers of a POST announcing `length` bytes and only the start of its body, then cuts the connection. */
function abortedUpload(port: number, length: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, "127.0.0.1", () => {
			socket.write(
				`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{"model":`,
			);
			setTimeout(() => {
				socket.destroy();
				resolve();
			}, 50);
		});
		socket.on("error", reject);
	});
}

/**
 * The fake vendor the tests start: a client hanging up mid-upload (a cancelled call, a gateway
 * stopping a walk) rejected its request reader inside an un-awaited handler, and the unhandled
 * "aborted" (ECONNRESET) ended the test process. Mocha reports such an error as a failure.
 */
describe("test fake vendor", () => {
	let vendor: FakeVendor;
	before(async () => {
		vendor = await fakeOpenAI();
	});
	after(async () => {
		await vendor?.stop();
	});

	it("tolerates a request aborted mid-upload: nothing recorded or answered, and it serves on", async () => {
		await abortedUpload(vendor.port, 100_000);
		const until = Date.now() + 2_000;
		while (vendor.uploadsAborted < 1 && Date.now() < until) await new Promise(r => setTimeout(r, 10));
		assert.equal(vendor.uploadsAborted, 1);
		assert.equal(vendor.requests.length, 0);

		const res = await fetch(`${vendor.baseUrl}/v1/chat/completions`, {
			method: "POST",
			headers: { "content-type": "application/json", authorization: `Bearer ${vendor.apiKey}` },
			body: JSON.stringify({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "hi" }] }),
		});
		assert.equal(res.status, 200);
		assert.equal((await res.json()).object, "chat.completion");
		assert.equal(vendor.completions.length, 1);
	});
});
