/**
 * A complex refactor under a budget: options.max_cost (USD for this request) keeps the orchestrator
 * off models whose estimated cost is above it; the answer says which model it could afford.
 *   ANTHROPIC_API_KEY=... OPENAI_API_KEY=... npm start
 *   npx tsx examples/complex-refactor.ts [max_cost]      (default 0.02)
 */
import { orchestrate, report, run } from "./report";

const maxCost = Number(process.argv[2] ?? 0.02);

const queue_ts = `export class JobQueue {
  private jobs: any[] = [];
  private running = 0;
  constructor(private concurrency: number, private handler: (job: any) => Promise<void>) {}
  push(job: any) { this.jobs.push(job); this.tick(); }
  private tick() {
    while (this.running < this.concurrency && this.jobs.length) {
      const job = this.jobs.shift();
      this.running++;
      this.handler(job).then(() => { this.running--; this.tick(); }, err => { console.log(err); this.running--; this.tick(); });
    }
  }
}
`;

run(async () => {
	const r = await orchestrate({
		request:
			"Refactor JobQueue into a typed generic queue with retries (exponential backoff, max 5 attempts), a dead-letter list, graceful drain on shutdown and per-job timeouts; keep the public push() API and explain the design trade-offs",
		context: { language: "typescript", files: [{ path: "src/queue.ts", content: queue_ts }] },
		options: { max_cost: maxCost },
	});
	report(`complex refactor under max_cost ${maxCost} USD`, r);
	console.log(`attempts    ${r.attempts.map((a: any) => `${a.model}@${a.provider} ${a.ok ? "ok" : a.error}`).join("; ")}`);
});
