/* A cgroup per case below the run's cgroup (where the harness could make one): cgroup.kill ends every process in it. */
#ifndef NSC_CASE_CGROUP_H
#define NSC_CASE_CGROUP_H

#include <sys/types.h>

/* Takes the run's cgroup directory named by NSCONFORM_CGROUP, if any (checked to be a cgroup2 directory). */
void case_cgroup_open_from_env(void);
/* Before a case starts: makes and journals its cgroup; a no-op without a run cgroup. 0, or -errno. */
int case_cgroup_make(void);
/* The case cgroup's directory fd, for clone3(CLONE_INTO_CGROUP): born inside, a process needs no (costly) move. -1 without. */
int case_cgroup_fd(void);
/* The case cgroup's path, for `{cgroup}` in a script (claims make their own cgroups below it); NULL without. */
const char *case_cgroup_path(void);
/* Whether dev/ino is the case's cgroup directory: the one place outside its own cgroups where a script makes cgroups. */
int case_cgroup_is(dev_t dev, ino_t ino);
/*
 * In the case's first process, before anything else: moves it into the case's cgroup unless it was born there,
 * and closes the fds. 0, or -errno.
 */
int case_cgroup_join(int born_inside);
/* Kills every process in the case's cgroup (cgroup.kill); `only_if_populated`: skips the (costly) write when none is left. */
void case_cgroup_kill(int only_if_populated);
/* After the case was reaped: removes its cgroup, and any a claim made below it. */
void case_cgroup_remove(void);

#endif
