/* Cgroup-namespace ops: the /proc/self/mountinfo line of one mount point, whatever the table's length. */
#define _GNU_SOURCE
#include "facts.h"
#include "script_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static char table[65536];

/* cg_mountline PATH: the last mountinfo line whose mount point (field 5) is PATH as "line", its root (field 4) as "root". */
static long long op_mountline(const struct step *st, struct json *j)
{
	char path[4096];
	if (st->argc < 1)
		return -EINVAL;
	snprintf(path, sizeof path, "%s", arg_text(st, 0, 0));
	long n = read_text("/proc/self/mountinfo", table, sizeof table);
	if (n < 0)
		return n;
	const char *found = NULL, *found_root = NULL;
	size_t found_len = 0, root_len = 0;
	for (const char *line = table; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *field[5] = {0};
		size_t flen[5] = {0};
		const char *p = line;
		for (int f = 0; f < 5 && p < line + len; f++) {
			field[f] = p;
			while (p < line + len && *p != ' ')
				p++;
			flen[f] = (size_t)(p - field[f]);
			if (p < line + len)
				p++;
		}
		if (field[4] && flen[4] == strlen(path) && strncmp(field[4], path, flen[4]) == 0) {
			found = line;
			found_len = len;
			found_root = field[3];
			root_len = flen[3];
		}
		if (!end)
			break;
		line = end + 1;
	}
	if (!found)
		return -ENOENT;
	json_key(j, "line");
	json_string_n(j, found, found_len);
	json_key(j, "root");
	json_string_n(j, found_root, root_len);
	return 0;
}

NSC_OP("cg_mountline", op_mountline, "path:text", "line:text root:text", "");
