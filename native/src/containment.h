/* Containment: each case below an init of its own PID, mount, UTS and IPC namespaces, the host tree read-only. */
#ifndef NSC_CONTAINMENT_H
#define NSC_CONTAINMENT_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Starts a contained case: the returned pid is its init (kill it and the whole case is gone); body(arg) runs as
 * the case root and must not return. Init closes the fds in close_in_init once the root runs. -1 with why when
 * the namespaces or mounts could not be made (the case is then not run at all).
 */
pid_t containment_start(const char *scratch, void (*body)(void *), void *arg, const int *close_in_init, int nclose, char *why, size_t size);
/* After init was reaped: 0 with the root's wait status, -1 with why when containment failed, 1 when init was killed first. */
int containment_finish(int *root_status, char *why, size_t size);
/* In the case's new mount namespace (containment_mounts.c): 0, or -errno with what failed. */
int containment_mounts(const char *scratch, const char **what);
/* Whether this process belongs to a contained case. */
int containment_active(void);
/* PID-namespace levels the case's /proc does not show (its NSpid starts at the case's namespace); 0 uncontained. */
int containment_depth_offset(void);

#endif
