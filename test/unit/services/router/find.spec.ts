import { strict as assert } from "assert";
import { findRequest } from "../../../../services/router/find";

describe("router/find: shell find and grep tasks said in words", () => {
	it("turns each phrase into a find_files argument", () => {
		assert.deepEqual(findRequest("display all directories in the folder /myfiles and do not search in sub directories"), {
			op: "find_files",
			path: "/myfiles",
			type: "directory",
			max_depth: 1,
		});
		assert.deepEqual(findRequest('find all the ".c" files in the folder /home/david which have been modified in the last 48 hours'), {
			op: "find_files",
			path: "/home/david",
			name: "*.c",
			modified_within_days: 2,
		});
		assert.deepEqual(findRequest("Find all files/directories named 'foo.rb' under current directory tree"), {
			op: "find_files",
			path: ".",
			name: "foo.rb",
			type: "any",
		});
		assert.deepEqual(findRequest('find the file "dateiname" in the entire file system ( case insensitive search)'), {
			op: "find_files",
			path: "/",
			name: "dateiname",
			ignore_case: true,
		});
		assert.deepEqual(findRequest("Find all files starting from the current directory which are owned by the user tommye"), {
			op: "find_files",
			path: ".",
			owner: "tommye",
		});
		assert.deepEqual(findRequest("display all the files in the current folder excluding the perl files"), {
			op: "find_files",
			path: ".",
			exclude: ["*.pl"],
		});
		assert.deepEqual(findRequest("Find files modified between 6 and 9 minutes ago"), {
			op: "find_files",
			path: ".",
			modified_before_days: 6 / 1440,
			modified_within_days: 9 / 1440,
		});
	});

	it("sends a string search with at most a name filter to search_text, with filters to find_files' contains", () => {
		assert.deepEqual(findRequest('Search the regular files of the current directory tree for string "stuff"'), { op: "grep", pattern: "stuff", path: "." });
		assert.deepEqual(findRequest('Search *.txt files under and below /directory/containing/files for "pattern_to_search"'), {
			op: "grep",
			pattern: "pattern_to_search",
			path: "/directory/containing/files",
			glob: "**/*.txt",
		});
		assert.deepEqual(findRequest('Search all .java files residing in the current directory tree and modified at least 7 days ago for string "swt"'), {
			op: "find_files",
			path: ".",
			name: "*.java",
			modified_before_days: 7,
			contains: "swt",
		});
	});

	it("answers nothing when a word is left unexplained: an act, a count, a condition no tool applies", () => {
		for (const req of [
			"Find all .zip files and unzip them, deleting the archives",
			"Find all *.txt files and count the lines in them",
			"Find all files newer than httpd.conf under and below the current directory",
			"find all files in the current folder and change their permissions to 644",
			"Find all files/directories greater than 100MB and print their list along with their size in /root/big.txt file",
			"Find all regular files in the current directory tree that do not contain a whitespace",
			"how do I find all the .log files in /var/log",
			'Display the named characters in "Test"',
		])
			assert.equal(findRequest(req), null, req);
	});
});
