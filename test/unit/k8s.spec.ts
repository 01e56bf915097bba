import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseAllDocuments, parse } from "yaml";
import { loadConfig, parseConfig } from "../../lib/config";
import { shutdownTimeoutMs } from "../../moleculer.config";
import { matchesServiceList, parseServiceList, resolveSchemas } from "../../lib/runner";

type Obj = Record<string, any>;

/** What a stopping node needs past its in-flight calls (moleculer.config.ts shutdownTimeoutMs): its MCP children closing, the bus. */
const GRACE_BEYOND_WAIT_MS = 15_000;

/** `kubectl kustomize k8s/`: exactly what `kubectl apply -k k8s/` sends; undefined without kubectl. */
function render(): Obj[] | undefined {
	try {
		execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
	} catch {
		return undefined;
	}
	const out = execFileSync("kubectl", ["kustomize", "k8s/"], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
	return parseAllDocuments(out).map(d => d.toJS());
}

/** The kubernetes-models class of an object's apiVersion and kind (its JSON schema from the Kubernetes OpenAPI). */
function modelClass(apiVersion: string, kind: string): new (o: Obj) => { validate(): void } {
	const mod = require(`kubernetes-models/${apiVersion}`);
	assert.ok(mod[kind], `kubernetes-models has no ${kind} in ${apiVersion}`);
	return mod[kind];
}

describe("k8s/ kustomization", function () {
	this.timeout(30_000);
	let objects: Obj[];
	const deployments = () => objects.filter(o => o.kind === "Deployment" && o.metadata.labels?.["app.kubernetes.io/name"] === "orchestrator");
	const container = (d: Obj) => d.spec.template.spec.containers[0];
	const servicesOf = (d: Obj) => container(d).env.find((e: Obj) => e.name === "SERVICES").value as string;
	const sharedEnv = () => objects.find(o => o.kind === "ConfigMap" && o.metadata.name.startsWith("orchestrator-env-"))!.data as Record<string, string>;
	const natsToken = () => objects.find(o => o.kind === "Secret" && o.metadata.name.startsWith("orchestrator-nats-token-"))!;
	/** Every Secret a container reads: `name` (with kustomize's hash), `key` ("*": all, by envFrom) and the variable it sets (`as`). */
	const secretsRead = (d: Obj) => [
		...((container(d).envFrom ?? []) as Obj[]).filter(e => e.secretRef).map(e => ({ name: String(e.secretRef.name), key: "*", as: "*" })),
		...((container(d).env ?? []) as Obj[])
			.filter(e => e.valueFrom?.secretKeyRef)
			.map(e => ({ name: String(e.valueFrom.secretKeyRef.name), key: String(e.valueFrom.secretKeyRef.key), as: String(e.name) })),
	];

	before(function () {
		const rendered = render();
		if (!rendered) {
			console.log("    (kubectl is not installed: the kustomization is not rendered or validated here)");
			this.skip();
		}
		objects = rendered!;
	});

	it("every rendered object validates against the Kubernetes JSON schema of its kind", () => {
		assert.ok(objects.length >= 20, `${objects.length} objects`);
		for (const o of objects) {
			const Model = modelClass(o.apiVersion, o.kind);
			assert.doesNotThrow(() => new Model(o).validate(), `${o.kind}/${o.metadata.name}`);
			assert.equal(o.kind === "Namespace" ? o.metadata.name : o.metadata.namespace, "dynamic-orchestrator", `${o.kind}/${o.metadata.name} namespace`);
		}
	});

	it("the validator is not a rubber stamp: a broken probe or quantity is refused", () => {
		const gw = structuredClone(deployments().find(d => d.metadata.name === "orchestrator-gateway")!);
		const Model = modelClass("apps/v1", "Deployment");
		delete container(gw).readinessProbe.httpGet.port;
		assert.throws(() => new Model(gw).validate(), /port/);
		const bad = structuredClone(deployments()[0]);
		container(bad).resources.limits.cpu = { cores: 1 };
		assert.throws(() => new Model(bad).validate(), /cpu/);
	});

	it("namespace, NATS, Redis, a generated config.yaml ConfigMap and a keys Secret", () => {
		const names = objects.map(o => `${o.kind}/${o.metadata.name}`);
		for (const n of [
			"Namespace/dynamic-orchestrator",
			"Deployment/nats",
			"Service/nats",
			"Deployment/redis",
			"Service/redis",
			"Service/orchestrator-gateway",
		])
			assert.ok(names.includes(n), n);
		// Go in nats:2.10 ignores the container's CPU limit; GOMAXPROCS follows it (500m rounds up to 1 thread).
		const nats = objects.find(o => o.kind === "Deployment" && o.metadata.name === "nats")!;
		const natsEnv = nats.spec.template.spec.containers[0].env;
		assert.deepEqual(natsEnv.find((e: { name: string }) => e.name === "GOMAXPROCS").valueFrom.resourceFieldRef, { resource: "limits.cpu", divisor: "1" });
		// NATS reads k8s/nats.conf (max_payload: a whole request or answer in one message; test/integration/bus-payload.spec.ts).
		const natsPod = nats.spec.template.spec;
		const natsConf = objects.find(o => o.kind === "ConfigMap" && o.metadata.name.startsWith("nats-config-"));
		assert.match(natsConf!.data["nats.conf"], /^max_payload: 16MB$/m);
		// Every client must give the token, which nats-server reads from its environment, from the Secret (test/integration/nats-auth.spec.ts).
		assert.match(natsConf!.data["nats.conf"], /^authorization \{\n {2}token: \$NATS_TOKEN\n\}$/m);
		assert.deepEqual(
			natsEnv.find((e: Obj) => e.name === "NATS_TOKEN").valueFrom,
			{ secretKeyRef: { name: natsToken().metadata.name, key: "NATS_TOKEN" } },
			"from the Secret, not optional",
		);
		assert.deepEqual(natsPod.containers[0].args.slice(-2), ["-c", "/etc/nats/nats.conf"]);
		assert.equal(natsPod.volumes[0].configMap.name, natsConf!.metadata.name);
		assert.deepEqual(natsPod.containers[0].volumeMounts, [{ name: natsPod.volumes[0].name, mountPath: "/etc/nats", readOnly: true }]);
		const config = objects.find(o => o.kind === "ConfigMap" && o.metadata.name.startsWith("orchestrator-config-"));
		assert.deepEqual(
			parse(config!.data["config.yaml"]),
			parse(readFileSync("config.yaml", "utf8")),
			"k8s/config.yaml is a copy of config.yaml: cp config.yaml k8s/config.yaml",
		);
		const env = objects.find(o => o.kind === "ConfigMap" && o.metadata.name.startsWith("orchestrator-env-"))!.data;
		assert.equal(env.HOST, "0.0.0.0");
		assert.equal(env.TRANSPORTER, "nats://nats:4222");
		const secret = objects.find(o => o.kind === "Secret" && o.metadata.name.startsWith("orchestrator-provider-keys-"))!;
		assert.ok(Object.keys(secret.data).includes("OPENAI_API_KEY"));
		const apiKeys = objects.find(o => o.kind === "Secret" && o.metadata.name.startsWith("orchestrator-api-keys-"))!;
		assert.ok(Object.keys(apiKeys.data).includes("API_KEYS"));
		assert.deepEqual(Object.keys(natsToken().data), ["NATS_TOKEN"]);
		for (const s of [secret, apiKeys, natsToken()])
			assert.ok(
				Object.values(s.data).every(v => v === ""),
				"the committed template holds no key",
			);
	});

	it("every service the code defines is hosted by exactly one Deployment, chosen by SERVICES", () => {
		// Providers return null without credentials: give each one a fake key so all are listed.
		const env = { OPENAI_API_KEY: "k", ANTHROPIC_API_KEY: "k", GOOGLE_API_KEY: "k", OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:1/v1" };
		const logger = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {} } as any;
		const names = resolveSchemas({ config: loadConfig(), env, logger }).map(s => String(s.name));
		assert.ok(names.includes("orchestrator") && names.includes("gateway") && names.includes("mcp.filesystem"));
		const groups = deployments().map(servicesOf);
		for (const name of names) {
			const hosts = groups.filter(g => matchesServiceList(name, parseServiceList(g)));
			assert.equal(hosts.length, 1, `${name} is hosted by ${hosts.length} Deployments`);
		}
		// One Deployment per provider plugin, so each scales (and is added) alone.
		for (const p of names.filter(n => n.startsWith("llm-"))) assert.ok(groups.includes(p), `no Deployment of its own for ${p}`);
	});

	it("probes: readiness on /health for the gateway (outside any breaker), on /ready for every other node; liveness on /live, never the cluster's state", () => {
		for (const d of deployments()) {
			const c = container(d);
			assert.ok(c.readinessProbe, `${d.metadata.name} readiness`);
			// A node without the gateway is ready once it is in the cluster (middlewares/node-health.middleware.ts), not when its port opens.
			if (servicesOf(d) !== "gateway") assert.deepEqual(c.readinessProbe.httpGet, { path: "/ready", port: "metrics" }, d.metadata.name);
			assert.deepEqual(
				c.livenessProbe?.httpGet,
				{ path: "/live", port: "metrics" },
				`${d.metadata.name}: liveness is the process, not the cluster's state`,
			);
			assert.ok(c.resources?.requests?.cpu && c.resources?.limits?.memory, `${d.metadata.name} resources`);
			assert.equal(d.spec.template.metadata.annotations["prometheus.io/scrape"], "true");
			assert.equal(d.spec.template.spec.securityContext.runAsNonRoot, true);
		}
		const gw = deployments().find(d => servicesOf(d) === "gateway")!;
		assert.equal(container(gw).readinessProbe.httpGet.path, "/health");
		assert.equal(container(gw).readinessProbe.periodSeconds, 5);
	});

	it("each provider pod gets its own vendor's keys only, and still finds them; no other pod gets any", () => {
		const secret = objects.find(o => o.kind === "Secret" && o.metadata.name.startsWith("orchestrator-provider-keys-"))!;
		// The Secret as an operator fills it in: a value for every key of k8s/provider-keys.env.
		const filled: Record<string, string> = Object.fromEntries(
			Object.keys(secret.data).map(k => [k, k.endsWith("_URL") ? "http://127.0.0.1:1/v1" : `value-of-${k}`]),
		);
		const logger = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {} } as any;
		const given = new Map<string, string>();
		for (const d of deployments()) {
			const reads = secretsRead(d).filter(r => r.name.startsWith("orchestrator-provider-keys-"));
			if (!servicesOf(d).startsWith("llm-")) {
				assert.deepEqual(reads, [], `${d.metadata.name} reads provider keys`);
				continue;
			}
			for (const r of reads) {
				assert.notEqual(r.key, "*", `${d.metadata.name}: the whole Secret (envFrom), every vendor's keys`);
				assert.equal(r.as, r.key, `${d.metadata.name}: ${r.key} under its own name, which the provider reads`);
				assert.ok(!given.has(r.key), `${r.key} goes to ${given.get(r.key)} and ${d.metadata.name}`);
				given.set(r.key, d.metadata.name);
			}
			// The pod's environment as Kubernetes builds it: the shared ConfigMap, then its own env, its secretKeyRefs resolved.
			const env: Record<string, string> = { ...sharedEnv() };
			for (const e of container(d).env as Obj[]) {
				if ("value" in e) env[e.name] = e.value;
				const ref = e.valueFrom?.secretKeyRef;
				if (ref?.name === secret.metadata.name) env[e.name] = filled[ref.key];
			}
			// With it the code builds this pod's provider, and no other vendor's: its key is there, the others' are not.
			const providers = resolveSchemas({ config: loadConfig(), env, logger })
				.map(sc => String(sc.name))
				.filter(n => n.startsWith("llm-"));
			assert.deepEqual(providers, [servicesOf(d)], `${d.metadata.name}'s env starts ${providers.join(", ") || "no provider"}`);
		}
		// Every key of the template reaches a pod: a key nobody reads is a vendor whose Deployment does not get it.
		assert.deepEqual([...given.keys()].sort(), Object.keys(secret.data).sort());
	});

	it("the gateway's API keys reach the gateway and pipeline pods only", () => {
		for (const d of deployments()) {
			const apiKeys = secretsRead(d).some(r => r.name.startsWith("orchestrator-api-keys-"));
			// The gateway checks the API keys and the pipeline's budget service keeps spend per key: no other pod sees them.
			assert.equal(apiKeys, servicesOf(d) === "gateway" || (parseServiceList(servicesOf(d)) ?? []).includes("budget"), d.metadata.name);
			assert.ok(
				(container(d).envFrom as Obj[]).some(e => e.configMapRef?.name.startsWith("orchestrator-env-")),
				`${d.metadata.name} shared env`,
			);
		}
	});

	it("every node pod gives the bus's token from its Secret, apart from TRANSPORTER, which carries no credentials", () => {
		assert.doesNotMatch(sharedEnv().TRANSPORTER, /@/);
		assert.ok(!("NATS_TOKEN" in sharedEnv()), "the token is no ConfigMap value");
		assert.ok(deployments().length >= 7);
		for (const d of deployments())
			assert.deepEqual(
				secretsRead(d).filter(r => r.as === "NATS_TOKEN" || r.name === natsToken().metadata.name),
				[{ name: natsToken().metadata.name, key: "NATS_TOKEN", as: "NATS_TOKEN" }],
				d.metadata.name,
			);
	});

	describe("NetworkPolicies", () => {
		/** A source of traffic: a pod (its namespace and labels), or a client outside the cluster's pods. */
		type Source = { namespace: string; labels: Record<string, string> } | "outside";
		const NS = "dynamic-orchestrator";
		const policies = () => objects.filter(o => o.kind === "NetworkPolicy");
		const matches = (selector: Obj | undefined, labels: Record<string, string>) => {
			assert.ok(!selector?.matchExpressions, "matchLabels only (this evaluator reads no matchExpressions)");
			return Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
		};
		/** A rule's peer; a namespace carries its name as the label kubernetes.io/metadata.name, as Kubernetes sets it. */
		const peerMatches = (peer: Obj, from: Source) => {
			assert.ok(!peer.ipBlock, "no ipBlock (this evaluator reads none)");
			if (from === "outside") return false;
			const inNamespace = peer.namespaceSelector
				? matches(peer.namespaceSelector, { "kubernetes.io/metadata.name": from.namespace })
				: from.namespace === NS;
			return inNamespace && (!peer.podSelector || matches(peer.podSelector, from.labels));
		};
		/** A Deployment's pods (their labels) and their container ports. */
		const pod = (name: string) => {
			const d = objects.find(o => o.kind === "Deployment" && o.metadata.name === name);
			assert.ok(d, name);
			return { labels: d.spec.template.metadata.labels as Record<string, string>, ports: d.spec.template.spec.containers[0].ports as Obj[] };
		};
		/** Whether Kubernetes lets `from` reach the named port of `to`'s pods (ingress rules; a pod no policy selects is open). */
		const allowed = (from: Source, to: string, portName: string) => {
			const { labels, ports } = pod(to);
			const port = ports.find(p => p.name === portName);
			assert.ok(port, `${to} has no port named ${portName}`);
			const selecting = policies().filter(p => (p.spec.policyTypes as string[]).includes("Ingress") && matches(p.spec.podSelector, labels));
			if (!selecting.length) return true;
			return selecting.some(p =>
				((p.spec.ingress ?? []) as Obj[]).some(
					rule =>
						(!rule.from?.length || (rule.from as Obj[]).some(peer => peerMatches(peer, from))) &&
						(!rule.ports?.length || (rule.ports as Obj[]).some(rp => rp.port === port.name || rp.port === port.containerPort)),
				),
			);
		};
		const nodes = () => deployments().map(d => String(d.metadata.name));
		const nodePod = (name: string): Source => ({ namespace: NS, labels: pod(name).labels });
		const prometheus: Source = { namespace: "monitoring", labels: { "app.kubernetes.io/name": "prometheus" } };
		const intruder: Source = { namespace: NS, labels: { app: "debug-shell" } };
		const otherTeam: Source = { namespace: "team-b", labels: { "app.kubernetes.io/name": "orchestrator" } };
		const strangers = [intruder, otherTeam, prometheus, "outside" as const];

		it("every port they name is a port of the pods they select", () => {
			for (const p of policies())
				for (const d of objects.filter(o => o.kind === "Deployment" && matches(p.spec.podSelector, o.spec.template.metadata.labels)))
					for (const rule of (p.spec.ingress ?? []) as Obj[])
						for (const rp of (rule.ports ?? []) as Obj[])
							assert.ok(
								(d.spec.template.spec.containers[0].ports as Obj[]).some(cp => cp.name === rp.port || cp.containerPort === rp.port),
								`${p.metadata.name}: ${d.metadata.name} has no port ${rp.port}`,
							);
		});

		it("default-deny ingress for every pod of the namespace; egress left open (the providers call vendors on the internet)", () => {
			const deny = policies().filter(p => Object.keys(p.spec.podSelector ?? {}).length === 0);
			assert.equal(deny.length, 1);
			assert.deepEqual(deny[0].spec.policyTypes, ["Ingress"]);
			assert.ok(!deny[0].spec.ingress?.length, "it allows nothing");
			for (const p of policies()) assert.ok(!(p.spec.policyTypes as string[]).includes("Egress"), `${p.metadata.name} restricts egress`);
			assert.equal(allowed(intruder, "nats", "monitor"), false);
			assert.equal(allowed(nodePod("orchestrator-gateway"), "nats", "monitor"), false, "NATS's monitoring port serves its probes only");
		});

		it("the gateway's HTTP port is open to anyone, its entry point", () => {
			for (const from of strangers) assert.equal(allowed(from, "orchestrator-gateway", "http"), true, JSON.stringify(from));
		});

		it("NATS's client port only from the orchestrator's own pods, every one of them", () => {
			for (const n of nodes()) assert.equal(allowed(nodePod(n), "nats", "client"), true, n);
			for (const from of strangers) assert.equal(allowed(from, "nats", "client"), false, JSON.stringify(from));
		});

		it("Redis only from the orchestrator's pods, each of which uses it (CACHER)", () => {
			assert.equal(sharedEnv().CACHER, "redis://redis:6379");
			for (const n of nodes()) assert.equal(allowed(nodePod(n), "redis", "redis"), true, n);
			for (const from of strangers) assert.equal(allowed(from, "redis", "redis"), false, JSON.stringify(from));
		});

		it("every node's metrics and probe port (METRICS_PORT) is open to a Prometheus in any namespace, not outside the cluster", () => {
			for (const n of nodes()) {
				assert.equal(allowed(prometheus, n, "metrics"), true, n);
				assert.equal(allowed("outside", n, "metrics"), false, n);
				assert.equal(pod(n).ports.find(p => p.name === "metrics")!.containerPort, Number(sharedEnv().METRICS_PORT), n);
			}
		});
	});

	it("a pod's grace period covers the longest in-flight call its node waits for, and the MCP children closing after it", () => {
		const env = objects.find(o => o.kind === "ConfigMap" && o.metadata.name.startsWith("orchestrator-env-"))!.data;
		const config = objects.find(o => o.kind === "ConfigMap" && o.metadata.name.startsWith("orchestrator-config-"))!.data["config.yaml"];
		for (const d of deployments()) {
			const own = Object.fromEntries((container(d).env as Obj[]).filter(e => "value" in e).map(e => [e.name, e.value]));
			const podEnv = { ...env, ...own };
			const waitMs = shutdownTimeoutMs(podEnv, parseConfig(config, "k8s/config.yaml", podEnv));
			assert.ok(waitMs >= 60_000, `${d.metadata.name}: the wait covers LLM_TIMEOUT_MS (${waitMs} ms)`);
			assert.ok(
				d.spec.template.spec.terminationGracePeriodSeconds * 1000 >= waitMs + GRACE_BEYOND_WAIT_MS,
				`${d.metadata.name}: terminationGracePeriodSeconds ${d.spec.template.spec.terminationGracePeriodSeconds} < ${waitMs} ms + ${GRACE_BEYOND_WAIT_MS} ms`,
			);
		}
	});

	it("HPA for the gateway and each cloud provider, PDBs that select running pods", () => {
		const byName = new Map(deployments().map(d => [d.metadata.name, d]));
		const hpas = objects.filter(o => o.kind === "HorizontalPodAutoscaler");
		const scaled = hpas.map(h => h.spec.scaleTargetRef.name);
		for (const n of ["orchestrator-gateway", "orchestrator-llm-openai", "orchestrator-llm-anthropic", "orchestrator-llm-google"])
			assert.ok(scaled.includes(n), `HPA for ${n}`);
		for (const n of scaled) assert.ok(byName.has(n), `HPA target ${n} exists`);
		const pdbs = objects.filter(o => o.kind === "PodDisruptionBudget");
		assert.ok(pdbs.length >= 1);
		for (const p of pdbs) {
			const sel = p.spec.selector.matchLabels as Record<string, string>;
			const hit = deployments().filter(d => Object.entries(sel).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
			assert.ok(hit.length === 1 && hit[0].spec.replicas > p.spec.minAvailable, `${p.metadata.name} selects a Deployment with spare replicas`);
		}
	});
});

describe("compose.yaml", () => {
	it("runs nats-server with k8s/nats.conf and its token, and gives every node the same token apart from TRANSPORTER", () => {
		const compose = parse(readFileSync("compose.yaml", "utf8"), { merge: true }) as Obj;
		const services = compose.services as Record<string, Obj>;
		assert.deepEqual(services.nats.command, ["-c", "/etc/nats/orchestrator.conf"]);
		assert.ok((services.nats.volumes as string[]).includes("./k8s/nats.conf:/etc/nats/orchestrator.conf:ro"));
		assert.equal(services.nats.environment.NATS_TOKEN, "${NATS_TOKEN:-}");
		const nodes = Object.entries(services).filter(([, s]) => String(s.image).includes("dynamic-orchestrator"));
		assert.ok(nodes.length >= 4);
		for (const [name, s] of nodes) {
			assert.equal(s.environment.NATS_TOKEN, "${NATS_TOKEN:-}", name);
			assert.doesNotMatch(s.environment.TRANSPORTER, /@/, name);
		}
	});

	it("gives every orchestrator node the time its in-flight calls may take to finish before it is killed", () => {
		const compose = parse(readFileSync("compose.yaml", "utf8"), { merge: true }) as Obj;
		const nodes = Object.entries(compose.services as Record<string, Obj>).filter(([, s]) => String(s.image).includes("dynamic-orchestrator"));
		assert.ok(nodes.length >= 4, nodes.map(([n]) => n).join(", "));
		for (const [name, s] of nodes) {
			const env = Object.fromEntries(Object.entries(s.environment as Obj).map(([k, v]) => [k, /^\$\{/.test(String(v)) ? "" : String(v)]));
			const waitMs = shutdownTimeoutMs(env, loadConfig("config.yaml"));
			const grace = /^(\d+)s$/.exec(String(s.stop_grace_period));
			assert.ok(grace, `${name}: stop_grace_period in seconds (compose's default is 10 s)`);
			assert.ok(
				Number(grace[1]) * 1000 >= waitMs + GRACE_BEYOND_WAIT_MS,
				`${name}: stop_grace_period ${s.stop_grace_period} < ${waitMs} ms + ${GRACE_BEYOND_WAIT_MS} ms`,
			);
		}
	});
});
