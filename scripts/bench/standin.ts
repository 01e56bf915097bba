// The instant vendor stand-in of bench:overhead, in its own process: the fake OpenAI of the tests
// (test/fakes/openai.ts, the real wire format), answering at once. Prints its base URL on stdout.
import { fakeOpenAI } from "../../test/fakes/openai";

void (async () => {
	const vendor = await fakeOpenAI();
	// The recorded-requests list would grow with every call of a long run; nobody reads it here.
	setInterval(() => (vendor.requests.length = 0), 1_000).unref();
	process.stdout.write(`${JSON.stringify({ baseUrl: vendor.baseUrl, apiKey: vendor.apiKey })}\n`);
})();
