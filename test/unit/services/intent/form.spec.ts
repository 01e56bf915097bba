import { strict as assert } from "assert";
import { askForm, askOf, denseFeatures, tailClause } from "../../../../services/intent/features";
import { INTENT_DENSE } from "../../../../services/intent/model";
import { applyStack, fitStack, stackFlags, STACK_FLAGS } from "../../../../services/intent/stack";

const form = (request: string) => askForm(askOf(request));

describe("the ask's form and last chained clause (the 8.5 trial; not used by the shipped intent model)", () => {
	it("tells a request addressed to the assistant from a yes/no question about the asker's own work", () => {
		assert.equal(form("can you do the same but with lodash debounce?"), "request");
		assert.equal(form("Please give me detailed examples of section III."), "request");
		assert.equal(form("Can I write a blog in C++?"), "yesno");
		assert.equal(form("Do you need to use & when calling the function?"), "yesno");
	});

	it("reads how-tos past a greeting, other wh-questions, a paste, and plain commands as no form", () => {
		assert.equal(form("Hi, how can i compare two arrays in Javascript"), "howto");
		assert.equal(form("How to buy pure bonds"), "howto");
		assert.equal(form("how are you today?"), undefined);
		assert.equal(form("what is the VBA code to calculate a sheet"), "wh");
		assert.equal(form("fix the bug in auth.ts"), undefined);
		const paste = ["def f(x):", "    return x * 2", "print(f(3))", "    y = f(4)", "why does this print 6?"].join("\n");
		assert.equal(form(paste), "paste");
	});

	it("takes the last chained clause of a chain and nothing from a single clause", () => {
		assert.equal(tailClause("find all the error_log files in /home which are bigger than 5MB and force delete them"), "force delete them");
		assert.equal(tailClause("Find all .log files in /var/log; compress them using bzip2"), "compress them using bzip2");
		assert.equal(tailClause("fix the bug in auth.ts"), undefined);
		assert.equal(tailClause("list files and folders"), undefined);
	});

	it("adds the form-crossed ask vector and the tail vector only when asked to", () => {
		const request = "can you find the logs and archive them";
		const plain = denseFeatures(new Map(), request, INTENT_DENSE).map(b => b.prefix);
		assert.deepEqual(plain, ["e:", "a:"]);
		const v = new Map<string, number>();
		const both = denseFeatures(v, request, { ...INTENT_DENSE, formAsk: 1, tail: 1 }).map(b => b.prefix);
		assert.deepEqual(both, ["e:", "a:", "fa:request:", "t:"]);
		assert.ok(v.has("shape:form:request") && v.has("shape:chain"));
	});
});

describe("the stacked second stage (the 8.5 trial; not shipped)", () => {
	it("learns a form offset that moves a border the first stage drew for every form at once", () => {
		// First stage: 0.6 / 0.4 between two classes; the truth is class 1 whenever the yes/no flag is on.
		const yesno = STACK_FLAGS.indexOf("form:yesno");
		const flags = Array.from({ length: 200 }, (_, i) => STACK_FLAGS.map((_, f) => +(f === yesno && i % 2 === 0)));
		const probs = flags.map(() => [0.6, 0.4]);
		const truth = flags.map(f => (f[yesno] ? 1 : 0));
		const stack = fitStack(probs, flags, truth);
		assert.ok(applyStack(stack, [0.6, 0.4], flags[0])[1] > 0.5, "yes/no rows move to class 1");
		assert.ok(applyStack(stack, [0.6, 0.4], flags[1])[0] > 0.5, "other rows stay with class 0");
	});

	it("flags a request by its form, pasted code and a short ask", () => {
		const f = stackFlags("Is my logic correct?");
		assert.equal(f[STACK_FLAGS.indexOf("form:yesno")], 1);
		assert.equal(f[STACK_FLAGS.indexOf("short")], 1);
		assert.equal(f[STACK_FLAGS.indexOf("code")], 0);
	});
});
