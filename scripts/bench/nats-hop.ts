/**
 * npx tsx scripts/bench/nats-hop.ts [messages] [idle ms]
 *
 * What one message through nats-server costs on this machine without nats.js or Moleculer: two processes speaking
 * NATS's text protocol on raw sockets (TCP_NODELAY, as nats.js), on the NATS of scripts/bench/nats.ts (BENCH_NATS_URL,
 * else a nats-server of its own with GOMAXPROCS=1). The publisher sends an orchestrate-sized message (570 B) and waits
 * for the subscriber's acknowledgement before the next; every other message is sent after the publisher slept `idle ms`
 * (default 3: about what the split's gateway node waits for its answer), the others at once. Both processes read the
 * same monotonic clock, so the one-way time (the publisher's write to the subscriber's read: nats-server and the
 * wake-up of each process it goes through) is printed for each kind: p50 and p90 in µs. Set it beside a hop of the split
 * (scripts/bench/hop-trace.cjs, `gateway out nats REQ -> node0 in nats REQ`): the rest is the Node processes' own.
 */
import { fork } from "node:child_process";
import { connect, type Socket } from "node:net";
import { benchNats } from "./nats";
import { pct } from "./measure";

const now = () => process.hrtime.bigint();
/** The publisher's pid names the subjects (the subscriber gets it as an argument). */
const SUBJECT = `hop.${process.argv[2] === "--subscriber" ? process.argv[4] : process.pid}`;

/** A NATS connection past its handshake, and a way to wait for the next protocol line that matches. */
async function natsConn(url: string) {
	const { hostname, port } = new URL(url);
	const socket: Socket = connect({ host: hostname, port: Number(port || 4222), noDelay: true });
	let buf = "";
	const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
	const onLine: ((buf: string) => string)[] = [];
	socket.setEncoding("latin1");
	socket.on("data", (chunk: string) => {
		buf += chunk;
		for (const f of onLine) buf = f(buf);
		for (let i = 0; i < waiters.length; i++) {
			const m = waiters[i].re.exec(buf);
			if (m) {
				buf = buf.slice(m.index + m[0].length);
				waiters.splice(i--, 1)[0].resolve(m);
			}
		}
	});
	const next = (re: RegExp) =>
		new Promise<RegExpExecArray>(resolve => {
			// What an earlier read already brought (INFO and PONG often come in one).
			const m = re.exec(buf);
			if (!m) return waiters.push({ re, resolve });
			buf = buf.slice(m.index + m[0].length);
			resolve(m);
		});
	await next(/^INFO .*\r\n/);
	socket.write('CONNECT {"verbose":false,"pedantic":false}\r\nPING\r\n');
	await next(/PONG\r\n/);
	return { socket, next, onLine };
}

async function subscriber(url: string) {
	const c = await natsConn(url);
	const seen: string[] = [];
	// Every complete MSG of the subject: its sequence number and when it was read.
	c.onLine.push(buf => {
		for (;;) {
			const m = /MSG \S+ \d+ (\d+)\r\n/.exec(buf);
			if (!m || buf.length < m.index + m[0].length + Number(m[1]) + 2) return buf;
			const body = buf.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1]));
			if (body === "done") {
				process.send!(seen.join(","));
				setImmediate(() => process.exit(0));
				return "";
			}
			seen.push(`${body.slice(0, 8)}:${now()}`);
			c.socket.write(`PUB ${SUBJECT}.ack 1\r\nx\r\n`);
			buf = buf.slice(m.index + m[0].length + Number(m[1]) + 2);
		}
	});
	c.socket.write(`SUB ${SUBJECT} 1\r\nPING\r\n`);
	await c.next(/PONG\r\n/);
	process.send!("ready");
}

async function main() {
	const N = Number(process.argv[2] ?? 2_000);
	const IDLE = Number(process.argv[3] ?? 3);
	const nats = await benchNats();
	console.log(`NATS: ${nats.label}`);
	const child = fork(__filename, ["--subscriber", nats.url, String(process.pid)], { execArgv: ["--import", "tsx"] });
	try {
		const got = new Promise<string>(resolve => child.on("message", m => m !== "ready" && resolve(String(m))));
		await new Promise<void>(resolve => child.once("message", () => resolve()));
		const pub = await natsConn(nats.url);
		pub.socket.write(`SUB ${SUBJECT}.ack 2\r\nPING\r\n`);
		await pub.next(/PONG\r\n/);
		const sent: bigint[] = [];
		const filler = "x".repeat(562);
		for (let i = 0; i < N; i++) {
			if (i % 2) await new Promise(r => setTimeout(r, IDLE));
			const ack = pub.next(/MSG \S+ \d+ 1\r\nx\r\n/);
			sent.push(now());
			pub.socket.write(`PUB ${SUBJECT} 570\r\n${String(i).padStart(8, "0")}${filler}\r\n`);
			await ack;
		}
		pub.socket.write(`PUB ${SUBJECT} 4\r\ndone\r\n`);
		const read = new Map(
			(await got)
				.split(",")
				.map(e => e.split(":"))
				.map(([i, t]) => [Number(i), BigInt(t)]),
		);
		const us = (odd: number) =>
			sent
				.map((t, i) => (i % 2 === odd && read.has(i) ? Number(read.get(i)! - t) / 1e3 : NaN))
				.filter(Number.isFinite)
				.sort((a, b) => a - b);
		const [hot, idle] = [us(0), us(1)];
		console.log(
			`one message through nats-server (raw protocol, ${read.size} of ${N} read): sent at once p50 ${pct(hot, 50).toFixed(0)} µs, p90 ${pct(hot, 90).toFixed(0)} µs; after ${IDLE} ms idle p50 ${pct(idle, 50).toFixed(0)} µs, p90 ${pct(idle, 90).toFixed(0)} µs`,
		);
		pub.socket.destroy();
	} finally {
		if (child.exitCode === null) child.kill("SIGTERM");
		await nats.stop();
	}
}

(process.argv[2] === "--subscriber" ? subscriber(process.argv[3]) : main()).catch(err => {
	console.error(err instanceof Error ? err.message : err);
	process.exitCode = 1;
});
