/*
 * refuse-namespaces [--sys-admin] PROGRAM [ARGS...]: runs PROGRAM under a seccomp filter that refuses
 * namespace creation the way container runtimes' default profiles do (moby's default.json): clone3
 * gives ENOSYS (so libc falls back to clone), unshare and setns give EPERM, clone with any CLONE_NEW*
 * flag but CLONE_NEWTIME gives EPERM. With --sys-admin only clone3 is refused, as that profile does
 * for a container given CAP_SYS_ADMIN. Raw BPF, so nothing beyond the kernel headers is needed.
 * Used by test/environments.test.ts; never installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "refuse-namespaces: add this architecture's AUDIT_ARCH_* constant"
#endif

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

/* CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET, as moby masks them. */
#define NAMESPACE_FLAGS 0x7E020000u

#define REFUSE(err) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((err) & SECCOMP_RET_DATA))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

int main(int argc, char **argv)
{
	int sys_admin = argc > 1 && strcmp(argv[1], "--sys-admin") == 0;
	argv += sys_admin;
	argc -= sys_admin;
	if (argc < 2) {
		fprintf(stderr, "usage: refuse-namespaces [--sys-admin] PROGRAM [ARGS...]\n");
		return 2;
	}
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 1, 0),
		REFUSE(EPERM),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		REFUSE(ENOSYS),
		/* --sys-admin: everything else is allowed; otherwise a jump to the next instruction. */
		sys_admin ? (struct sock_filter)ALLOW : (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 1),
		REFUSE(EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_setns, 0, 1),
		REFUSE(EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 1, 0),
		ALLOW,
		/* clone's flags are args[0] on x86-64 and arm64 alike; the low 32 bits hold every CLONE_NEW* flag. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NAMESPACE_FLAGS, 0, 1),
		REFUSE(EPERM),
		ALLOW,
	};
	struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
	/* Root may install a filter as it is; anyone else needs no_new_privs first. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) {
		if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) {
			fprintf(stderr, "refuse-namespaces: seccomp: %s\n", strerror(errno));
			return 1;
		}
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "refuse-namespaces: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
