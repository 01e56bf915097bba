/**
 * Where a request's wall time goes between processes, for the split over NATS:
 *   HOP_TRACE_DIR=/tmp/t NODE_ARGS="--require $PWD/scripts/bench/hop-trace.cjs" npx tsx scripts/bench/split.ts 200 3
 * Preloaded into a node, it records every socket read ('data') and write of the process with the monotonic clock
 * (shared by every process on the machine; an HTTP request its server parsed counts as a read) and, on exit, writes them to HOP_TRACE_DIR/<pid>.tsv: ns, "in"/"out",
 * the peer (nats, http-in for the process's own HTTP server, http-out for a call it makes), bytes, and for NATS the
 * first protocol line (PUB/MSG subject: REQ, RES, heartbeats). scripts/bench/hop-report.ts lines the processes' events
 * up per sequential request. Costs a few µs per socket event: for locating latency, not for the bench's figures.
 * HOP_TRACE_MARKS=1: also the steps of a bus message inside the process (hop-report prints them as "mark"): Moleculer's
 * transit sending a request or response and handling one, nats.js publishing it, flushing its buffer to the socket and
 * parsing a received message, every event emitted (broker.emit), and the start and end of the HOP_TRACE_ACTION handlers (a comma list, default
 * orchestrator.orchestrate): where a message's time goes between the socket and the service.
 */
"use strict";
const net = require("node:net");
const http = require("node:http");
const { writeFileSync, mkdirSync } = require("node:fs");

const dir = process.env.HOP_TRACE_DIR || "/tmp/hop-trace";
const events = [];
const NATS_PORT = Number(process.env.HOP_TRACE_NATS_PORT || 4222);

function peer(socket) {
	if (socket.remotePort === NATS_PORT) return "nats";
	return socket.server || socket._server ? "http-in" : "http-out";
}

function head(chunk) {
	const s = typeof chunk === "string" ? chunk.slice(0, 120) : Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.length, 120)).toString("latin1");
	return s.split("\r\n")[0].replace(/\t/g, " ");
}

const emit = net.Socket.prototype.emit;
net.Socket.prototype.emit = function (event, chunk, ...rest) {
	if (event === "data") {
		const p = peer(this);
		events.push(`${process.hrtime.bigint()}\tin\t${p}\t${chunk.length}\t${p === "nats" ? head(chunk) : ""}`);
	}
	return emit.call(this, event, chunk, ...rest);
};

// Node's HTTP server parses its sockets' bytes without a 'data' event: the request is its "in".
const serverEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
	if (event === "request") events.push(`${process.hrtime.bigint()}\tin\thttp-in\t0\t`);
	return serverEmit.call(this, event, ...args);
};

const writeGeneric = net.Socket.prototype._writeGeneric;
net.Socket.prototype._writeGeneric = function (writev, data, encoding, cb) {
	const p = peer(this);
	const bytes = writev ? data.reduce((n, d) => n + (d.chunk ? d.chunk.length : 0), 0) : data.length;
	const first = writev ? data[0] && data[0].chunk : data;
	events.push(`${process.hrtime.bigint()}\tout\t${p}\t${bytes}\t${p === "nats" && first ? head(first) : ""}`);
	return writeGeneric.call(this, writev, data, encoding, cb);
};

if (process.env.HOP_TRACE_MARKS) {
	// Moleculer's and nats.js' files as this process will load them (bin/orchestrator.js from the checkout in cwd), by
	// absolute path: their package exports hide these subpaths.
	const from = m => {
		const [pkg, ...file] = m.split("/");
		const main = require.resolve(pkg, { paths: [process.cwd()] });
		const dir = main.slice(0, main.lastIndexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}/`.length);
		return require(dir + file.join("/"));
	};
	const mark = name => events.push(`${process.hrtime.bigint()}\tat\tmark\t0\t${name}`);
	const before = (proto, method, name) => {
		const f = proto[method];
		proto[method] = function (...args) {
			mark(name);
			return f.apply(this, args);
		};
	};
	const Transit = from("moleculer/src/transit");
	before(Transit.prototype, "_sendRequest", "transit request");
	before(Transit.prototype, "requestHandler", "transit handles request");
	before(Transit.prototype, "sendResponse", "transit response");
	before(Transit.prototype, "responseHandler", "transit handles response");
	before(from("moleculer/src/transporters/nats").prototype, "send", "serialized, nats publish");
	const { ProtocolHandler } = from("nats/lib/nats-base-client/protocol");
	before(ProtocolHandler.prototype, "flushPending", "nats flush");
	before(ProtocolHandler.prototype, "processMsg", "nats parsed");
	// Every event emitted, by name (what a node does around the traced handlers).
	const Broker = from("moleculer/src/service-broker");
	const emitEvent = Broker.prototype.emit;
	Broker.prototype.emit = function (event, ...args) {
		mark(`emit ${event}`);
		return emitEvent.call(this, event, ...args);
	};
	// HOP_TRACE_ACTION: a comma list of actions whose handler's start and end (its promise settled) are marked.
	const traced = new Set((process.env.HOP_TRACE_ACTION || "orchestrator.orchestrate").split(",").map(a => a.trim()));
	const Service = from("moleculer/src/service");
	const createAction = Service.prototype._createAction;
	Service.prototype._createAction = function (def, name) {
		const action = createAction.call(this, def, name);
		if (traced.has(action.name)) {
			const handler = action.handler;
			const done = () => mark(`${action.name} handler done`);
			action.handler = function (...args) {
				mark(`${action.name} handler`);
				const out = handler.apply(this, args);
				if (out && typeof out.then === "function") out.then(done, done);
				else done();
				return out;
			};
		}
		return action;
	};
}

process.on("exit", () => {
	mkdirSync(dir, { recursive: true });
	writeFileSync(`${dir}/${process.pid}.tsv`, `${process.env.NODE_ID || "one"}\n${events.join("\n")}\n`);
});
