// The worker thread of regex-worker.ts: tests each line it is sent against the caller's regular
// expression and posts back the indexes that match. Plain CommonJS so that it starts without tsx;
// the parent terminates it when the search's time is up (a backtracking RegExp cannot be interrupted).
const { parentPort, workerData } = require("node:worker_threads");

const re = new RegExp(workerData.source, workerData.flags);
parentPort.on("message", lines => {
	const hits = [];
	for (let i = 0; i < lines.length; i++) if (re.test(lines[i])) hits.push(i);
	parentPort.postMessage(hits);
});
