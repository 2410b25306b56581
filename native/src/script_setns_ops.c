/*
 * Ops for the setns suite: how far CLOCK_MONOTONIC moved against CLOCK_BOOTTIME since a mark, so a
 * claim can see a time namespace's offset take effect (setns(2) CLONE_NEWTIME) without arithmetic in
 * its checks. Only clock_gettime, which is async-signal-safe.
 */
#define _GNU_SOURCE
#include "script_internal.h"

#include <errno.h>
#include <time.h>

/* CLOCK_MONOTONIC minus CLOCK_BOOTTIME at the last setns_clockmark, in ns; inherited by forked children. */
static long long marked_gap_ns;

static int gap_ns(long long *gap)
{
	struct timespec mono, boot;
	if (clock_gettime(CLOCK_MONOTONIC, &mono) || clock_gettime(CLOCK_BOOTTIME, &boot))
		return -errno;
	*gap = ((long long)mono.tv_sec - (long long)boot.tv_sec) * 1000000000LL + (mono.tv_nsec - boot.tv_nsec);
	return 0;
}

/* setns_clockmark: remembers CLOCK_MONOTONIC - CLOCK_BOOTTIME; the suspend time both share cancels out later. */
static long long op_clockmark(const struct step *st, struct json *j)
{
	(void)st;
	(void)j;
	return gap_ns(&marked_gap_ns);
}

/* setns_clockshift: "shiftS", whole seconds (rounded) by which CLOCK_MONOTONIC moved against CLOCK_BOOTTIME since setns_clockmark. */
static long long op_clockshift(const struct step *st, struct json *j)
{
	long long now;
	int rc = gap_ns(&now);
	(void)st;
	if (rc)
		return rc;
	long long shift = now - marked_gap_ns;
	long long seconds = (shift + (shift >= 0 ? 500000000LL : -500000000LL)) / 1000000000LL;
	json_key(j, "shiftS");
	json_int(j, seconds);
	return 0;
}

NSC_OP("setns_clockmark", op_clockmark, "", "", "call:setns");
NSC_OP("setns_clockshift", op_clockshift, "", "shiftS:int", "call:setns");
