/** The roots a server was started with, and the one way a tool turns a caller's path into a path inside them. */
import { realpath } from "node:fs/promises";
import { resolveInRoots } from "../../lib/guard";
import { InputError } from "./results";

export interface Workspace {
	/** Real paths of the directories named on the command line. */
	roots: string[];
	/** The search start inside the roots (symlinks resolved), or an InputError saying why not. */
	start(path: string | undefined): Promise<string>;
}

export function workspaceOf(roots: string[]): Workspace {
	async function start(path: string | undefined): Promise<string> {
		const abs = await resolveInRoots("path", path ?? ".", roots).catch((err: Error) => {
			throw new InputError(err.message);
		});
		return realpath(abs).catch(() => {
			throw new InputError(`path '${path}' does not exist in ${roots.join(", ")}`);
		});
	}
	return { roots, start };
}
