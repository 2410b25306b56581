/*
 * Lifetime-suite ops: a number read from a file, reported with its half (LIM-02: the initial limits are threads-max / 2);
 * pinning to one CPU, so namespace ids follow creation order (LIFE-03).
 */
#define _GNU_SOURCE
#include "facts.h"
#include "script_internal.h"

#include <errno.h>
#include <sched.h>
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

/*
 * pincpu: binds this process (and what it forks from now on) to the CPU it runs on; the result is that CPU. Namespace
 * ids come from per-CPU batches (6.18), so only namespaces made on one CPU are numbered in the order they were made,
 * and mount(2) refuses, as a loop (EINVAL), to bind a mount namespace whose id is below the caller's.
 */
static long long op_pincpu(const struct step *st, struct json *j)
{
	(void)st;
	(void)j;
	int cpu = sched_getcpu();
	if (cpu < 0)
		return -errno;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set))
		return -errno;
	return cpu;
}

NSC_OP("pincpu", op_pincpu, "", "", "");
NSC_OP("readnum", op_readnum, "path:text", "text:text half:int", "");
