/* --list-ops: every registered op's arguments, result fields and needs, and the syscalls `sys` may make, as JSON. */
#define _GNU_SOURCE
#include "script_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 256

extern const struct op_entry __start_nsc_ops[], __stop_nsc_ops[];
extern const struct sys_entry __start_nsc_syscalls[], __stop_nsc_syscalls[];

static void put_text(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			putchar('\\');
		putchar(s[i]);
	}
	putchar('"');
}

/* Calls each(word, length, index) for the space-separated words of a description. */
static void words(const char *text, void (*each)(const char *, size_t, int))
{
	int index = 0;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " ");
		if (n)
			each(p, n, index++);
		p += n;
		p += strspn(p, " ");
	}
}

/* "name:type" as the start of an object: {"name":...,"type":... (the caller closes it). */
static void put_typed(const char *w, size_t n, int index)
{
	const char *colon = memchr(w, ':', n);
	size_t name_len = colon ? (size_t)(colon - w) : n;
	printf("%s{\"name\":", index ? "," : "");
	put_text(w, name_len);
	printf(",\"type\":");
	put_text(colon ? colon + 1 : "", colon ? n - name_len - 1 : 0);
}

/* "name:type", "name:type?" or "...name:type" as {"name","type","optional","rest"}. */
static void put_arg(const char *w, size_t n, int index)
{
	int rest = n > 3 && strncmp(w, "...", 3) == 0;
	if (rest)
		w += 3, n -= 3;
	int optional = n > 0 && w[n - 1] == '?';
	if (optional)
		n--;
	put_typed(w, n, index);
	printf(",\"optional\":%s,\"rest\":%s}", optional ? "true" : "false", rest ? "true" : "false");
}

static void put_field(const char *w, size_t n, int index)
{
	put_typed(w, n, index);
	putchar('}');
}

static void put_word(const char *w, size_t n, int index)
{
	if (index)
		putchar(',');
	put_text(w, n);
}

static int by_op_name(const void *a, const void *b)
{
	return strcmp((*(const struct op_entry *const *)a)->name, (*(const struct op_entry *const *)b)->name);
}

static int by_syscall_name(const void *a, const void *b)
{
	return strcmp((*(const struct sys_entry *const *)a)->name, (*(const struct sys_entry *const *)b)->name);
}

int list_ops(void)
{
	static const struct op_entry *ops[LIST_MAX];
	static const struct sys_entry *calls[LIST_MAX];
	size_t n_ops = 0, n_calls = 0;
	for (const struct op_entry *op = __start_nsc_ops; op < __stop_nsc_ops && n_ops < LIST_MAX; op++)
		ops[n_ops++] = op;
	for (const struct sys_entry *call = __start_nsc_syscalls; call < __stop_nsc_syscalls && n_calls < LIST_MAX; call++)
		calls[n_calls++] = call;
	qsort(ops, n_ops, sizeof ops[0], by_op_name);
	qsort(calls, n_calls, sizeof calls[0], by_syscall_name);
	printf("{\"ops\":[");
	for (size_t i = 0; i < n_ops; i++) {
		printf("%s\n{\"name\":", i ? "," : "");
		put_text(ops[i]->name, strlen(ops[i]->name));
		printf(",\"builtin\":%s,\"args\":[", ops[i]->fn ? "false" : "true");
		words(ops[i]->args, put_arg);
		printf("],\"fields\":[");
		words(ops[i]->fields, put_field);
		printf("],\"needs\":[");
		words(ops[i]->needs, put_word);
		printf("]}");
	}
	printf("],\n\"syscalls\":[");
	for (size_t i = 0; i < n_calls; i++) {
		if (i)
			putchar(',');
		put_text(calls[i]->name, strlen(calls[i]->name));
	}
	printf("]}\n");
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
