/* libFuzzer target (`npm run fuzz -- --libfuzzer`): the observer's parsers, in-process, coverage-guided. */
#define _GNU_SOURCE
/* The mount-table parser is file-local: take it with its file, which is left out of this build's source list. */
#include "../src/script_mnt_ops.c"
#include "../src/request.h"

#include <stdint.h>

static struct request req;
static struct script script;
static char text[70000];

/* Splits at newlines (in place); the first line is a request, the rest step lines of one script. */
static void parse_requests_and_steps(char *input)
{
	char error[512], *save = NULL;
	char *line = strtok_r(input, "\n", &save);
	if (!line)
		return;
	parse_request(line, &req, error, sizeof error);
	memset(&script, 0, sizeof script);
	while ((line = strtok_r(NULL, "\n", &save)))
		if (script_add_line(&script, line, error, sizeof error))
			return;
	script_finish(&script, error, sizeof error);
}

/* Every line of a mount table, in each of the three formats, then one JSON string of the whole input. */
static void parse_mount_table(char *input, size_t size)
{
	static char copy[sizeof text];
	for (enum format fmt = MOUNTINFO; fmt <= MOUNTSTATS; fmt++) {
		memcpy(copy, input, size + 1);
		for (char *line = copy, *next; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			struct mount_line m;
			parse_line(line, fmt, &m);
		}
	}
	static char out[4096];
	struct json j;
	json_init(&j, out, sizeof out);
	json_string_n(&j, input, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size >= sizeof text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] & 1)
		parse_mount_table(text, size - 1);
	else
		parse_requests_and_steps(text);
	return 0;
}
