/* The run's journal: one line per object or process group the observer's cases create, for cleanup after any kill. */
#ifndef NSC_JOURNAL_H
#define NSC_JOURNAL_H

#include <sys/types.h>

/* Takes the descriptor named by NSCONFORM_JOURNAL_FD (an O_APPEND file the harness opened), if any. */
void journal_open_from_env(void);
/* Appends one line (a newline is added); a no-op without a journal. One write(2), so lines never interleave. */
void journal_note(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* "group PGID START": a case's process group, with its leader's start time so a reused pid is told apart. */
void journal_group(pid_t pgid);
/* "observer PID START": the first line, so a cleaner can tell this observer from a later process with its pid. */
void journal_observer(void);

#endif
