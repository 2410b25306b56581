/* The run's journal: what this observer created, written before or right after it exists, so a killed run can be cleaned. */
#define _GNU_SOURCE
#include "journal.h"
#include "io.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int journal_fd = -1;

void journal_open_from_env(void)
{
	const char *text = getenv("NSCONFORM_JOURNAL_FD");
	char *end;
	long fd = text ? strtol(text, &end, 10) : -1;
	if (!text || *end || fd < 3 || fd > 1023 || fcntl((int)fd, F_GETFL) < 0)
		return;
	/* Forked case processes keep it (they note what they create); tools they exec do not. */
	fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	journal_fd = (int)fd;
}

void journal_note(const char *format, ...)
{
	char line[256];
	va_list args;
	if (journal_fd < 0)
		return;
	va_start(args, format);
	int n = vsnprintf(line, sizeof line - 1, format, args);
	va_end(args);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	write_all(journal_fd, line, (size_t)n);
}

/* Field 22 of /proc/<pid>/stat, counted after the command name's closing parenthesis. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *field = strrchr(buf, ')');
	for (int i = 0; field && i < 20; i++)
		field = strchr(field + 1, ' ');
	return field ? strtoull(field + 1, NULL, 10) : 0;
}

void journal_group(pid_t pgid)
{
	journal_note("group %d %llu", (int)pgid, start_time(pgid));
}

void journal_observer(void)
{
	journal_note("observer %d %llu", (int)getpid(), start_time(getpid()));
}
