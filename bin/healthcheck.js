#!/usr/bin/env node
// The container's HEALTHCHECK (the slim image has no curl): exit 0 when healthy, 1 otherwise.
// A container hosting the gateway (SERVICES empty, or naming it) answers GET /health: 200 once every
// pipeline action is reachable, answered outside any breaker. Other containers have no HTTP port:
// healthy while their broker's Prometheus port accepts a connection.
"use strict";
const http = require("node:http");
const net = require("node:net");

const env = process.env;
const services = (env.SERVICES || "")
	.split(",")
	.map(s => s.trim())
	.filter(Boolean);
const hostsGateway = !services.length || services.some(p => (p.endsWith("*") ? "gateway".startsWith(p.slice(0, -1)) : p === "gateway"));
const TIMEOUT_MS = 2500;

function done(ok, why) {
	if (!ok) console.error(`unhealthy: ${why}`);
	process.exit(ok ? 0 : 1);
}

if (hostsGateway) {
	const req = http.get({ host: "127.0.0.1", port: Number(env.PORT || 3000), path: "/health", timeout: TIMEOUT_MS }, res => {
		let body = "";
		res.on("data", c => (body += c));
		res.on("end", () => done(res.statusCode === 200, `GET /health answered ${res.statusCode} ${body.slice(0, 300)}`));
	});
	req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
	req.on("error", err => done(false, `GET /health: ${err.message}`));
} else if (env.METRICS_PORT === "off") {
	done(true);
} else {
	const socket = net.connect({ host: "127.0.0.1", port: Number(env.METRICS_PORT || 9090), timeout: TIMEOUT_MS });
	socket.on("connect", () => (socket.end(), done(true)));
	socket.on("timeout", () => (socket.destroy(), done(false, `metrics port: no connection within ${TIMEOUT_MS} ms`)));
	socket.on("error", err => done(false, `metrics port: ${err.message}`));
}
