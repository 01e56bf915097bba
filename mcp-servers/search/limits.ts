/** The bounds every tool of the workspace-search server keeps (results, file size, files scanned, regex time). */
export const LIMITS = {
	/** Larger files are skipped (logs, dumps, bundles): reading them would be slow and rarely what is asked. */
	max_file_bytes: 1024 * 1024,
	/** A walk stops after this many files, so a huge tree answers instead of hanging. */
	max_files: 20_000,
	default_results: 100,
	max_results: 1000,
	/** A matched line is cut to this many characters (minified code has megabyte lines). */
	max_line_chars: 240,
	/** search_text with value_block: most continuation lines shown under one match. */
	max_block_lines: 40,
	/** read_lines returns at most this many lines per call, each cut at max_read_line_chars. */
	max_range_lines: 2000,
	max_read_line_chars: 4000,
	/** read_files stops after this many files or this many bytes in all, whichever comes first. */
	default_read_files: 20,
	max_read_files: 100,
	max_read_bytes: 1024 * 1024,
	/**
	 * A caller's regular expression runs in a worker thread with this much time for the whole search:
	 * JavaScript cannot interrupt a backtracking RegExp, so a pattern like (a+)+$ would otherwise
	 * freeze this server for every later call too. On expiry the worker is terminated.
	 */
	regex_ms: Number(process.env.SEARCH_REGEX_TIMEOUT_MS ?? 3000),
};
