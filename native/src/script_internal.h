/* What the script executor shares with its op modules: arguments, variables, records. */
#ifndef NSC_SCRIPT_INTERNAL_H
#define NSC_SCRIPT_INTERNAL_H

#include "json.h"
#include "script.h"

/* An op fills its fields into j and returns the call's result: >= 0, or -errno. */
typedef long long (*op_fn)(const struct step *st, struct json *j);

struct op_entry {
	const char *name;
	op_fn fn;
};

/*
 * Ops register themselves: NSC_OP("name", fn) in any script_*.c file puts an entry into the
 * nsc_ops section, so a new family of ops is a new file and no shared table changes.
 */
#define NSC_OP(op_name, op_function) \
	static const struct op_entry op_entry_##op_function __attribute__((used, section("nsc_ops"), aligned(sizeof(void *)))) = {op_name, op_function}

/* Syscalls `sys` may make register the same way: NSC_SYSCALL("name", SYS_name) in script_sys.c or any script_*.c. */
struct sys_entry {
	const char *name;
	long nr;
};
#define NSC_SYSCALL(sys_name, sys_nr) \
	static const struct sys_entry sys_entry_##sys_nr __attribute__((used, section("nsc_syscalls"), aligned(sizeof(void *)))) = {sys_name, sys_nr}

/* NULL when the name is unknown. */
op_fn find_op(const char *name);
long find_syscall(const char *name);
long long op_sys(const struct step *st, struct json *j);

/* The argument as a string, with every {label} replaced by that variable's value; slot 0..3 picks a buffer. */
const char *arg_text(const struct step *st, int i, int slot);
/* The argument as a number: a literal (0x.. allowed) or $label; sets *ok to 0 when it is neither. */
long long arg_number(const struct step *st, int i, int *ok);
int var_get(const char *name, long long *value);
void var_set(const char *name, long long value);
struct script_shared *script_shared(void);
const char *script_scratch(void);

/* One hex digit's value, or -1 (script_parse.c). */
int hexval(char c);

/* Writes CLOCK_MONOTONIC/BOOTTIME/REALTIME readings as fields. */
void write_clocks(struct json *j);

/* Marks the step as refused by the host guard (the judge makes that an error, never a verdict); returns -EACCES. */
long long guard_refusal(struct json *j, const char *why);

#endif
