import { parseArgs, type ParseArgsConfig } from "node:util";
import { MissingData } from "./eval/benchmarks";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * A script's own arguments, read strictly (node:util parseArgs): `--help` prints its usage and exits 0; an unknown
 * option or a value that does not parse prints what is wrong and the usage, exit 2. Read loosely, `eval -- --help`
 * ran the whole evaluation and `train -- --help` retrained the shipped models; a typo ran the default job.
 */
export function scriptArgs<O extends Options>(
	usage: string,
	options: O,
	{ positionals = false } = {},
): ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>> {
	let parsed: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;
	try {
		parsed = parseArgs({ args: process.argv.slice(2), options, allowPositionals: positionals, strict: true }) as typeof parsed;
	} catch (err) {
		// --help is not among a script's options: it is read here, so that it is never a usage error.
		if (process.argv.slice(2).some(a => a === "--help" || a === "-h")) {
			console.log(usage);
			process.exit(0);
		}
		usageError((err as Error).message, usage);
	}
	return parsed;
}

/** What is wrong with the arguments, then the usage: exit 2. */
export function usageError(message: string, usage: string): never {
	console.error(`${message}\n\n${usage}`);
	process.exit(2);
}

/** Comma-separated numbers (`--seeds=42,7`), each checked by `ok`; else a usage error naming the option. */
export function numberList(raw: string, option: string, usage: string, ok: (n: number) => boolean = Number.isFinite): number[] {
	const values = raw.split(",").map(v => Number(v.trim()));
	if (!raw.trim() || values.some(v => !ok(v))) usageError(`--${option}: '${raw}' is not a comma list of the numbers it takes`, usage);
	return values;
}

/** Variant numbers given as positionals (`-- 3 5`), each within 0..count-1; none given: every variant. */
export function variantList(positionals: string[], count: number, usage: string): number[] {
	const only = positionals.map(Number);
	if (only.some(i => !(Number.isInteger(i) && i >= 0 && i < count))) usageError(`no such variant: ${positionals.join(" ")} (0-${count - 1})`, usage);
	return only;
}

/**
 * A script's main, its failure said in one line: missing data (DATA_DIR) with where it comes from, exit 1; anything
 * else with its stack (a bug to report).
 */
export function runScript(name: string, main: () => void | Promise<void>): void {
	Promise.resolve()
		.then(main)
		.catch((err: unknown) => {
			if (err instanceof MissingData) console.error(`${name}: ${err.note}`);
			else console.error(`${name} failed:`, err);
			process.exit(1);
		});
}
