/*
 * Time-namespace ops: clock readings relative to a base an earlier step took, and absolute deadlines.
 * The child only measures (differences in ms or whole seconds); the TypeScript checks judge them.
 */
#define _GNU_SOURCE
#include "facts.h"
#include "names.h"
#include "script_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static long long ts_ms(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

static long long floor_div(long long a, long long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* time_clockms ID: the clock (through the vDSO) in ms as the result. */
static long long op_clockms(const struct step *st, struct json *j)
{
	int ok = 1;
	long long id = arg_number(st, 0, &ok);
	struct timespec ts;
	(void)j;
	if (!ok)
		return -EINVAL;
	if (clock_gettime((clockid_t)id, &ts))
		return -errno;
	return ts_ms(&ts);
}

/*
 * time_shift ID $BASE: the clock now minus BASE (a time_clockms result of the same clock), read through the
 * vDSO ("diffMs", "offsetS" = whole seconds) and through the raw system call ("sysDiffMs", "sysOffsetS").
 * A clock whose clock_getres fails (CLOCK_BOOTTIME_ALARM without an RTC, spec note 9) reports
 * "offsetS":"unavailable" and the getres errno, before BASE is even looked at.
 */
static long long op_shift(const struct step *st, struct json *j)
{
	int ok = 1;
	long long id = arg_number(st, 0, &ok);
	struct timespec res, vdso, raw;
	if (!ok)
		return -EINVAL;
	if (clock_getres((clockid_t)id, &res)) {
		int err = errno;
		json_key(j, "offsetS");
		json_string(j, "unavailable");
		json_key(j, "sysOffsetS");
		json_string(j, "unavailable");
		json_key(j, "getres");
		json_string(j, errno_name(err));
		return 0;
	}
	long long base = arg_number(st, 1, &ok);
	if (!ok)
		return -ENOENT;
	if (clock_gettime((clockid_t)id, &vdso))
		return -errno;
	if (syscall(SYS_clock_gettime, (clockid_t)id, &raw))
		return -errno;
	long long diff = ts_ms(&vdso) - base, sys_diff = ts_ms(&raw) - base;
	json_key(j, "diffMs");
	json_int(j, diff);
	json_key(j, "offsetS");
	json_int(j, floor_div(diff, 1000));
	json_key(j, "sysDiffMs");
	json_int(j, sys_diff);
	json_key(j, "sysOffsetS");
	json_int(j, floor_div(sys_diff, 1000));
	return 0;
}

/* time_uptime [$BASE]: the first /proc/uptime field in whole seconds as the result; "diffS" = that minus BASE. */
static long long op_uptime(const struct step *st, struct json *j)
{
	char buf[128];
	long n = read_text("/proc/uptime", buf, sizeof buf);
	if (n < 0)
		return n;
	long long secs = 0;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		secs = secs * 10 + (*p - '0');
	json_key(j, "text");
	json_string_n(j, buf, (size_t)n);
	if (st->argc > 0) {
		int ok = 1;
		long long base = arg_number(st, 0, &ok);
		if (!ok)
			return -ENOENT;
		json_key(j, "diffS");
		json_int(j, secs - base);
	}
	return secs;
}

/* time_sleepuntil ID MS: clock_nanosleep(TIMER_ABSTIME) until the clock's now + MS; "elapsedMs" by CLOCK_MONOTONIC. */
static long long op_sleepuntil(const struct step *st, struct json *j)
{
	int ok = 1, ok2 = 1;
	long long id = arg_number(st, 0, &ok), ms = arg_number(st, 1, &ok2);
	struct timespec now, start, end;
	if (!ok || !ok2 || ms < 0)
		return -EINVAL;
	if (clock_gettime((clockid_t)id, &now) || clock_gettime(CLOCK_MONOTONIC, &start))
		return -errno;
	long long target = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + ms * 1000000LL;
	struct timespec deadline = {target / 1000000000LL, target % 1000000000LL};
	int err;
	while ((err = clock_nanosleep((clockid_t)id, TIMER_ABSTIME, &deadline, NULL)) == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &end);
	json_key(j, "elapsedMs");
	json_int(j, ts_ms(&end) - ts_ms(&start));
	return err ? -err : 0;
}

static struct itimerspec absolute_in(clockid_t id, long long ms, int *err)
{
	struct timespec now;
	struct itimerspec spec;
	memset(&spec, 0, sizeof spec);
	*err = clock_gettime(id, &now) ? errno : 0;
	long long target = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + ms * 1000000LL;
	spec.it_value.tv_sec = target / 1000000000LL;
	spec.it_value.tv_nsec = target % 1000000000LL;
	return spec;
}

/*
 * time_timerfd ID MS: a timerfd on the clock armed with TFD_TIMER_ABSTIME at the clock's now + MS;
 * "remainingMs" from timerfd_gettime at once, then a blocking read and its "elapsedMs" by CLOCK_MONOTONIC.
 */
static long long op_timerfd(const struct step *st, struct json *j)
{
	int ok = 1, ok2 = 1, err;
	long long id = arg_number(st, 0, &ok), ms = arg_number(st, 1, &ok2);
	if (!ok || !ok2 || ms < 0)
		return -EINVAL;
	int fd = timerfd_create((clockid_t)id, TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct itimerspec spec = absolute_in((clockid_t)id, ms, &err), left;
	long long ret = 0;
	if (err || timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL) || timerfd_gettime(fd, &left)) {
		ret = -(err ? err : errno);
	} else {
		json_key(j, "remainingMs");
		json_int(j, ts_ms(&left.it_value));
		uint64_t expirations;
		ssize_t n;
		while ((n = read(fd, &expirations, sizeof expirations)) < 0 && errno == EINTR)
			;
		clock_gettime(CLOCK_MONOTONIC, &end);
		json_key(j, "elapsedMs");
		json_int(j, ts_ms(&end) - ts_ms(&start));
		if (n < 0)
			ret = -errno;
	}
	close(fd);
	return ret;
}

/* time_timer ID MS: a POSIX timer (SIGEV_NONE) armed with TIMER_ABSTIME at the clock's now + MS; "remainingMs" from timer_gettime. */
static long long op_timer(const struct step *st, struct json *j)
{
	int ok = 1, ok2 = 1, err, timer = -1;
	long long id = arg_number(st, 0, &ok), ms = arg_number(st, 1, &ok2);
	if (!ok || !ok2 || ms < 0)
		return -EINVAL;
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_NONE;
	if (syscall(SYS_timer_create, (clockid_t)id, &ev, &timer))
		return -errno;
	struct itimerspec spec = absolute_in((clockid_t)id, ms, &err), left;
	long long ret = 0;
	if (err || syscall(SYS_timer_settime, timer, TIMER_ABSTIME, &spec, NULL) || syscall(SYS_timer_gettime, timer, &left)) {
		ret = -(err ? err : errno);
	} else {
		json_key(j, "remainingMs");
		json_int(j, ts_ms(&left.it_value));
	}
	syscall(SYS_timer_delete, timer);
	return ret;
}

NSC_OP("time_clockms", op_clockms, "clock:int", "", "");
NSC_OP("time_shift", op_shift, "clock:int base:int", "offsetS:int sysOffsetS:int getres:text diffMs:int sysDiffMs:int", "");
NSC_OP("time_uptime", op_uptime, "base:int?", "text:text diffS:int", "");
NSC_OP("time_sleepuntil", op_sleepuntil, "clock:int ms:int", "elapsedMs:int", "");
NSC_OP("time_timerfd", op_timerfd, "clock:int ms:int", "remainingMs:int elapsedMs:int", "");
NSC_OP("time_timer", op_timer, "clock:int ms:int", "remainingMs:int", "");
