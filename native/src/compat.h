/*
 * Definitions that old kernel and C library headers lack (EL8: 4.18 uapi, glibc 2.28): clone3 and
 * struct clone_args (5.3, set_tid 5.5, cgroup 5.7), pidfds (5.2-5.3), CLONE_NEWTIME (5.6) and the
 * mount API. The numbers are the kernel's ABI, the same on every architecture from 424 up; whether
 * the running kernel has a call is decided at run time by what it returns (ENOSYS, EINVAL).
 */
#ifndef NSCONFORM_COMPAT_H
#define NSCONFORM_COMPAT_H

#include <linux/sched.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/*
 * Before 5.7 the header's struct clone_args (if any) stops before set_tid or cgroup: use the full
 * 5.7 layout (CLONE_ARGS_SIZE_VER2, 88 bytes) under the same name; a kernel that knows less
 * accepts it while the fields it does not know are zero.
 */
#ifndef CLONE_ARGS_SIZE_VER2
#define clone_args nsc_clone_args
struct nsc_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};
#endif

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* openat2 (5.6) and mount_setattr (5.12): the structs as the kernel takes them, whatever the headers have. */
#include <linux/types.h>
struct nsc_open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};
#ifndef RESOLVE_NO_XDEV
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#endif
struct nsc_mount_attr {
	__u64 attr_set;
	__u64 attr_clr;
	__u64 propagation;
	__u64 userns_fd;
};
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#endif
