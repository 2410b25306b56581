/* What the script executor shares with its op modules: arguments, variables, records. */
#ifndef NSC_SCRIPT_INTERNAL_H
#define NSC_SCRIPT_INTERNAL_H

#include "json.h"
#include "script.h"

/* An op fills its fields into j and returns the call's result: >= 0, or -errno. */
typedef long long (*op_fn)(const struct step *st, struct json *j);

/*
 * One op: its function and, beside it, what `nsconform-observer --list-ops` tells the harness (which generates
 * its typed step builders from that, harness/script/ops.generated.ts):
 *   args    "NAME:TYPE ...": TYPE int (a number or $label), text ({label} substituted), hex (h:HEX), arg (any
 *           sys argument), op, syscall, expect, ids, or a|b (one of these words); "NAME:TYPE?" may be left out,
 *           "...NAME:TYPE" takes the rest.
 *   fields  "NAME:TYPE ...": the fields its record may carry besides l, p, r, e; TYPE int, text, bool, list
 *           (of texts or numbers) or object.
 *   needs   what a script using it needs, for harness/script/builder.ts to derive: machine:M (its code runs
 *           only there), call:C (a call a filter or an old kernel may refuse), creates:ARG (namespaces from the
 *           CLONE_NEW* flags in ARG), kind:K (makes a K namespace), nested-user (makes user namespaces inside
 *           its own, so unprivileged ones), clones:MODE:FLAGS (clone3 or raw clone by the MODE argument; raw
 *           clone when MODE is empty), map-write:PATH:DATA (may write an id map), sys:NAME (the system call
 *           NAME), polls:OP (runs the op named by OP with the arguments after it).
 * fn is NULL for the ops the script executor runs itself (fork, wait, poll, ...: script_run.c).
 */
struct op_entry {
	const char *name;
	op_fn fn;
	const char *args;
	const char *fields;
	const char *needs;
};

#define NSC_OP_ENTRY(id, op_name, op_function, op_args, op_fields, op_needs) \
	static const struct op_entry op_entry_##id __attribute__((used, section("nsc_ops"), aligned(sizeof(void *)))) = { \
		op_name, op_function, op_args, op_fields, op_needs}

/*
 * Ops register themselves: NSC_OP("name", fn, args, fields, needs) in any script_*.c file puts an entry into the
 * nsc_ops section, so a new family of ops is a new file and no shared table changes.
 */
#define NSC_OP(op_name, op_function, op_args, op_fields, op_needs) NSC_OP_ENTRY(op_function, op_name, op_function, op_args, op_fields, op_needs)
/* An op script_run.c runs itself, registered only for its description. */
#define NSC_BUILTIN(id, op_name, op_args, op_fields, op_needs) NSC_OP_ENTRY(builtin_##id, op_name, NULL, op_args, op_fields, op_needs)

/* Syscalls `sys` may make register the same way: NSC_SYSCALL("name", SYS_name) in script_sys.c or any script_*.c. */
struct sys_entry {
	const char *name;
	long nr;
};
#define NSC_SYSCALL(sys_name, sys_nr) \
	static const struct sys_entry sys_entry_##sys_nr __attribute__((used, section("nsc_syscalls"), aligned(sizeof(void *)))) = {sys_name, sys_nr}

/* NULL when the name is unknown or the op is one script_run.c runs itself. */
op_fn find_op(const char *name);
/* Prints every op's description and the syscalls `sys` may make as one JSON document (--list-ops). */
int list_ops(void);
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
