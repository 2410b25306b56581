/* Lifetime-suite ops: a number read from a file, reported with its half (LIM-02: the initial limits are threads-max / 2). */
#define _GNU_SOURCE
#include "facts.h"
#include "script_internal.h"

#include <errno.h>
#include <stdlib.h>

/* readnum PATH: the decimal number the file starts with as the result, and "half" = that number / 2. */
static long long op_readnum(const struct step *st, struct json *j)
{
	char text[64];
	char *end;
	long n = read_text(arg_text(st, 0, 0), text, sizeof text);
	if (n < 0)
		return n;
	errno = 0;
	long long value = strtoll(text, &end, 10);
	if (end == text)
		return -EINVAL;
	/* A result is >= 0 or -errno: a negative or out-of-range number is reported as text, never as a result. */
	if (value < 0 || errno == ERANGE) {
		json_key(j, "text");
		json_string_n(j, text, (size_t)(end - text));
		return -ERANGE;
	}
	json_key(j, "half");
	json_int(j, value / 2);
	return value;
}

NSC_OP("readnum", op_readnum, "path:text", "text:text half:int", "");
