/* errno and signal numbers as their names, so records say EPERM rather than 1. */
#include "names.h"

#include <errno.h>
#include <signal.h>

#define NAME(x) [x] = #x

static const char *const errnos[] = {
	NAME(EPERM), NAME(ENOENT), NAME(ESRCH), NAME(EINTR), NAME(EIO), NAME(ENXIO), NAME(E2BIG),
	NAME(ENOEXEC), NAME(EBADF), NAME(ECHILD), NAME(EAGAIN), NAME(ENOMEM), NAME(EACCES),
	NAME(EFAULT), NAME(ENOTBLK), NAME(EBUSY), NAME(EEXIST), NAME(EXDEV), NAME(ENODEV),
	NAME(ENOTDIR), NAME(EISDIR), NAME(EINVAL), NAME(ENFILE), NAME(EMFILE), NAME(ENOTTY),
	NAME(ETXTBSY), NAME(EFBIG), NAME(ENOSPC), NAME(ESPIPE), NAME(EROFS), NAME(EMLINK),
	NAME(EPIPE), NAME(EDOM), NAME(ERANGE), NAME(EDEADLK), NAME(ENAMETOOLONG), NAME(ENOLCK),
	NAME(ENOSYS), NAME(ENOTEMPTY), NAME(ELOOP), NAME(ENOMSG), NAME(EIDRM), NAME(EOVERFLOW),
	NAME(EUSERS), NAME(ENOTSOCK), NAME(EDESTADDRREQ), NAME(EMSGSIZE), NAME(EPROTOTYPE),
	NAME(ENOPROTOOPT), NAME(EPROTONOSUPPORT), NAME(EOPNOTSUPP), NAME(EAFNOSUPPORT),
	NAME(EADDRINUSE), NAME(EADDRNOTAVAIL), NAME(ENETDOWN), NAME(ENETUNREACH),
	NAME(ECONNABORTED), NAME(ECONNRESET), NAME(ENOBUFS), NAME(EISCONN), NAME(ENOTCONN),
	NAME(ETIMEDOUT), NAME(ECONNREFUSED), NAME(EHOSTUNREACH), NAME(EALREADY),
	NAME(EINPROGRESS), NAME(ESTALE), NAME(EDQUOT), NAME(ECANCELED), NAME(EOWNERDEAD),
};

static const char *const signals[] = {
	NAME(SIGHUP), NAME(SIGINT), NAME(SIGQUIT), NAME(SIGILL), NAME(SIGTRAP), NAME(SIGABRT),
	NAME(SIGBUS), NAME(SIGFPE), NAME(SIGKILL), NAME(SIGUSR1), NAME(SIGSEGV), NAME(SIGUSR2),
	NAME(SIGPIPE), NAME(SIGALRM), NAME(SIGTERM), NAME(SIGCHLD), NAME(SIGCONT), NAME(SIGSTOP),
	NAME(SIGTSTP), NAME(SIGTTIN), NAME(SIGTTOU), NAME(SIGURG), NAME(SIGXCPU), NAME(SIGXFSZ),
	NAME(SIGVTALRM), NAME(SIGPROF), NAME(SIGWINCH), NAME(SIGIO), NAME(SIGPWR), NAME(SIGSYS),
};

/* Unknown numbers become "E<n>" or "SIG<n>" in a static buffer: callers use the name at once. */
static const char *fallback(const char *prefix, int n)
{
	static char text[24];
	int i = 0;
	char digits[12];
	int d = 0;
	unsigned v = n < 0 ? 0u - (unsigned)n : (unsigned)n; /* no signed negation: INT_MIN has no positive */
	while (*prefix)
		text[i++] = *prefix++;
	if (n < 0)
		text[i++] = '-';
	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (d)
		text[i++] = digits[--d];
	text[i] = '\0';
	return text;
}

const char *errno_name(int err)
{
	if (err > 0 && (unsigned)err < sizeof errnos / sizeof errnos[0] && errnos[err])
		return errnos[err];
	return fallback("E", err);
}

const char *signal_name(int sig)
{
	if (sig > 0 && (unsigned)sig < sizeof signals / sizeof signals[0] && signals[sig])
		return signals[sig];
	return fallback("SIG", sig);
}
