/* Scripts: a sequence of steps (syscalls and a few composite ops) run in forked processes, each step reported as facts. */
#ifndef NSC_SCRIPT_H
#define NSC_SCRIPT_H

#include <stddef.h>
#include <sys/types.h>

#define SCRIPT_MAX_STEPS 256
#define SCRIPT_MAX_ARGS 24
#define SCRIPT_ARENA 32768
#define SCRIPT_LABEL 32
/* A variable: a label, or a label with a suffix the op adds (LABEL_pidfd, LABEL_0), never cut short. */
#define SCRIPT_VAR_NAME (SCRIPT_LABEL + 8)

struct step {
	char label[SCRIPT_LABEL];
	const char *op;
	int argc;
	const char *argv[SCRIPT_MAX_ARGS];
	/* For block ops (fork): index of the matching "end". */
	int end;
};

struct script {
	int nsteps;
	struct step steps[SCRIPT_MAX_STEPS];
	size_t arena_used;
	char arena[SCRIPT_ARENA];
};

/* Parses one step line ("label op arg..." or "end"; tokens percent-encoded); -1 with a reason on a bad line. */
int script_add_line(struct script *s, char *line, char *error, size_t error_size);
/* Matches blocks; -1 with a reason when they do not balance. */
int script_finish(struct script *s, char *error, size_t error_size);

/* The line the script's first process writes when its steps are done: it has no label, so no step can forge it. */
#define SCRIPT_END_LINE "{\"end\":true}"

/* Runs the script in the calling (freshly forked) process; never returns. Step records go to report_fd. */
void script_run(const struct script *s, int report_fd, const char *scratch) __attribute__((noreturn));

/* Shared between the observer and every script process: variables and the host objects to clean up. */
#define SCRIPT_MAX_VARS 512
#define SCRIPT_MAX_TRACKED 32
struct script_shared {
	struct {
		char name[SCRIPT_VAR_NAME];
		long long value;
		int ready; /* set last: a slot whose writer was killed half-way is never read */
	} vars[SCRIPT_MAX_VARS];
	/* Slots handed out so far; a writer reserves one by atomic increment, so no lock can die with its holder. */
	int nvars;
	/* SysV objects created in the observer's IPC namespace, removed by the observer after the script. */
	int msg_ids[SCRIPT_MAX_TRACKED], nmsg;
	int sem_ids[SCRIPT_MAX_TRACKED], nsem;
	int shm_ids[SCRIPT_MAX_TRACKED], nshm;
	char mq_names[SCRIPT_MAX_TRACKED][64];
	int nmq;
	/* Why the script's first process could not drop to the unprivileged ids (native/src/drop.c). */
	char drop_failure[256];
};

/* Maps the shared area (once per observer) and clears it; NULL on failure. */
struct script_shared *script_shared_reset(void);
/* Removes every host IPC object a script created; called by the observer after each script. */
void script_cleanup_host_objects(struct script_shared *shared);

/* The binary, opened at start so exec works from any mount namespace or root. */
void script_set_self_exe(int fd);
/* argv mode "--exec-report": reports what an exec'd process sees, then exits. */
int script_exec_report(int argc, char **argv);

#endif
