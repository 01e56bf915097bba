import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { METRIC } from "moleculer";
import { METRIC_DEFINITIONS } from "../../../services/metrics.service";
import { CORRECTION_METRIC } from "../../../services/models.service";

/** Every orchestrator_* metric the services register: the metrics service's and the models service's gauge. */
const OURS = [...METRIC_DEFINITIONS, CORRECTION_METRIC];

const ROOT = resolve(__dirname, "../../..");
const read = (p: string) => readFileSync(resolve(ROOT, p), "utf8");
const yaml = (p: string) => parse(read(p), { merge: true });

/** Metric names a PromQL expression reads, histogram series folded onto their metric. */
function metricsIn(expr: string): string[] {
	return [...expr.matchAll(/\b((?:orchestrator|moleculer)_[a-z0-9_]+)/g)].map(m => m[1].replace(/_(bucket|sum|count)$/, ""));
}

/** The names Prometheus sees: ours as registered, Moleculer's own with dots and dashes made underscores. */
const KNOWN = new Set<string>([
	...OURS.map(d => d.name),
	...Object.values(METRIC as Record<string, string>)
		.filter(v => typeof v === "string" && v.startsWith("moleculer."))
		.map(v => v.replace(/[.-]/g, "_")),
]);

describe("monitoring files", () => {
	describe("dashboard.json", () => {
		const dash = JSON.parse(read("monitoring/dashboard.json"));
		const panels: any[] = dash.panels.filter((p: any) => p.type !== "row");
		const exprs: string[] = panels.flatMap(p => p.targets.map((t: any) => t.expr));

		it("is a Grafana dashboard with a uid, unique panel ids and on-grid positions", () => {
			assert.equal(dash.uid, "dynamic-orchestrator");
			assert.ok(dash.schemaVersion >= 36);
			const ids = dash.panels.map((p: any) => p.id);
			assert.equal(new Set(ids).size, ids.length);
			for (const p of dash.panels) {
				const g = p.gridPos;
				assert.ok(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0, `panel ${p.title} fits the 24-column grid`);
			}
		});

		it("queries only metrics the services export, through the provisioned datasource", () => {
			for (const p of panels) {
				assert.equal(p.datasource.uid, "prometheus", p.title);
				for (const t of p.targets) {
					const names = metricsIn(t.expr);
					assert.ok(names.length, `${p.title}: ${t.expr} reads a metric`);
					for (const n of names) assert.ok(KNOWN.has(n), `${p.title}: unknown metric ${n}`);
				}
			}
		});

		it("covers every orchestrator metric: requests, latency, tokens and dollars, cache, fallbacks, circuits", () => {
			const used = new Set(exprs.flatMap(metricsIn));
			for (const d of OURS) assert.ok(used.has(d.name), `${d.name} is on the dashboard`);
			assert.ok(exprs.some(e => /histogram_quantile\(0\.99,/.test(e)) && exprs.some(e => /histogram_quantile\(0\.5,/.test(e)), "latency percentiles");
		});
	});

	describe("compose.yaml", () => {
		const compose = yaml("compose.yaml");
		const services = compose.services as Record<string, any>;

		it("starts the orchestrator nodes, NATS, Redis, Prometheus and Grafana", () => {
			for (const s of ["nats", "redis", "prometheus", "grafana", "gateway", "pipeline", "providers"]) assert.ok(services[s], s);
		});

		it("runs NATS on one Go thread, as k8s/infra.yaml does (fewer wake-ups per bus message)", () => {
			assert.equal(services.nats.environment.GOMAXPROCS, "1");
		});

		it("builds the orchestrator nodes from the Containerfile and joins them over NATS and Redis", () => {
			const nodes = Object.entries(services).filter(([, s]) => s.build);
			assert.ok(nodes.length >= 3);
			for (const [name, s] of nodes) {
				assert.equal(s.build.context, ".", name);
				assert.ok(existsSync(resolve(ROOT, s.build.dockerfile)), `${name}: ${s.build.dockerfile} exists`);
				assert.equal(s.environment.TRANSPORTER, "nats://nats:4222", name);
				assert.equal(s.environment.CACHER, "redis://redis:6379", name);
				assert.ok(s.environment.SERVICES, `${name} picks its services`);
			}
			assert.equal(services.gateway.environment.SERVICES, "gateway");
			assert.ok(services.pipeline.environment.SERVICES.split(",").includes("metrics"), "metrics beside every orchestrator replica");
		});

		it("mounts files that exist, and Grafana gets the dashboard and its provisioning", () => {
			for (const [name, s] of Object.entries(services)) {
				for (const v of (s.volumes ?? []) as string[]) {
					const host = v.split(":")[0];
					if (host.startsWith(".")) assert.ok(existsSync(resolve(ROOT, host)), `${name}: ${host} exists`);
				}
			}
			const g = (services.grafana.volumes as string[]).map(v => v.split(":"));
			assert.ok(g.some(([h, c]) => h === "./monitoring/dashboard.json" && c.startsWith("/var/lib/grafana/dashboards/")));
			assert.ok(g.some(([h, c]) => h === "./monitoring/grafana/provisioning" && c === "/etc/grafana/provisioning"));
		});
	});

	describe("prometheus.yml and Grafana provisioning", () => {
		const prom = yaml("monitoring/prometheus.yml");
		const compose = yaml("compose.yaml");

		it("scrapes every orchestrator node group of compose.yaml on its METRICS_PORT", () => {
			const job = prom.scrape_configs.find((j: any) => j.job_name === "orchestrator");
			assert.equal(job.metrics_path, "/metrics");
			const sd = job.dns_sd_configs[0];
			const groups = Object.entries(compose.services as Record<string, any>).filter(([, s]) => s.build);
			for (const [name, s] of groups) {
				assert.ok(sd.names.includes(name), `${name} is scraped`);
				assert.equal(String(sd.port), s.environment.METRICS_PORT, `${name} metrics port`);
			}
		});

		it("provisions the datasource the panels name and the dashboards folder compose mounts", () => {
			const ds = yaml("monitoring/grafana/provisioning/datasources/prometheus.yaml");
			assert.equal(ds.datasources[0].uid, "prometheus");
			assert.equal(ds.datasources[0].url, "http://prometheus:9090");
			const dash = yaml("monitoring/grafana/provisioning/dashboards/orchestrator.yaml");
			assert.equal(dash.providers[0].options.path, "/var/lib/grafana/dashboards");
		});
	});
});
