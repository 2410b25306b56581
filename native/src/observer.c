/* The observer: serves run, bench and script requests from stdin, one at a time, with a deadline per case; --list-ops describes its ops. */
#define _GNU_SOURCE
#include "case_cgroup.h"
#include "containment.h"
#include "creator.h"
#include "drop.h"
#include "io.h"
#include "journal.h"
#include "json.h"
#include "names.h"
#include "request.h"
#include "script.h"
#include "script_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <mqueue.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 65536
#define REAP_BOUND_MS 2000

enum outcome { OBSERVED, TIMEOUT, FAILED };

struct result {
	enum outcome outcome;
	long long duration_ns;
	char reason[512];
	int truncated; /* text did not fit: the record says so instead of carrying broken JSON */
	size_t len;
	char text[131072]; /* creator body with the witness spliced in */
};

static struct request req;
static struct result res;
static char out[140000];

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Appends what fits, keeping `reserve` bytes free for what closes the text; 0 and truncated when it does not fit. */
static int append_within(const char *text, size_t n, size_t reserve)
{
	if (res.truncated || n + reserve > sizeof res.text - res.len) {
		res.truncated = 1;
		return 0;
	}
	memcpy(res.text + res.len, text, n);
	res.len += n;
	return 1;
}

static void append(const char *text, size_t n)
{
	append_within(text, n, 0);
}

/*
 * A queue only the child's msgget looks up, created exclusively, readable by nobody else (msgget(key, 0)
 * asks for no access, so a dropped child still finds it). The key holds the observer's pid, so observers
 * and runs side by side never meet; it is journaled before the queue exists, so a kill leaves nothing unnamed.
 */
static int create_queue(int *key)
{
	for (unsigned attempt = 0; attempt < 16; attempt++) {
		*key = (int)(((0x6eu + attempt) << 24) | ((unsigned)getpid() & 0xffffffu));
		journal_note("msgkey %#x", (unsigned)*key);
		int id = msgget(*key, IPC_CREAT | IPC_EXCL | 0600);
		if (id >= 0)
			journal_note("msg %d %#x", id, (unsigned)*key);
		if (id >= 0 || errno != EEXIST)
			return id;
	}
	return -1;
}

/* What the observer sees from the original namespaces while the child is blocked; closes "outside". */
static void append_witness(void)
{
	char buf[1024];
	struct json j;
	struct utsname uts;
	struct stat st;
	json_init(&j, buf, sizeof buf);
	json_begin_object(&j);
	j.count[j.depth] = 1; /* we are continuing the creator's open "outside" object */
	uname(&uts);
	json_key(&j, "hostname");
	json_string(&j, uts.nodename);
	if (*req.scratch) {
		json_key(&j, "scratchDev");
		if (stat(req.scratch, &st) == 0)
			json_uint(&j, st.st_dev);
		else
			json_null(&j);
	}
	json_end_object(&j);
	if (j.overflow || j.len < 1)
		res.truncated = 1;
	else
		append(buf + 1, j.len - 1);
}

/*
 * Reads until fd reaches EOF, the end of the first line (when stop_at_newline) or the deadline;
 * 1 if the deadline passed. Nothing follows the first line until the observer acks, so reading
 * whole chunks cannot swallow part 2.
 */
static int read_until(int fd, long long deadline, int stop_at_newline)
{
	for (;;) {
		long long left = deadline - now_ns();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (left <= 0)
			return 1;
		int ready = poll(&pfd, 1, (int)(left / 1000000 + 1));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready == 0)
			continue;
		char chunk[16384];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		char *newline = stop_at_newline ? memchr(chunk, '\n', (size_t)n) : NULL;
		append(chunk, newline ? (size_t)(newline - chunk) : (size_t)n);
		if (newline)
			return 0;
	}
}

/* SIGKILLs every child of ours: after a case, anything left (reparented to us, the subreaper) is its leftover. */
static void kill_children(void)
{
	char path[64], buf[8192], *end;
	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *p = buf;; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
	}
}

/*
 * Reaps the case's root and everything it left: its process group is killed while the root is still a
 * zombie (so the pid cannot name another group yet), then any leftover child — reparented to us, say
 * after setsid — is killed rather than waited for, so no case waits out the bound for another's process.
 */
static int reap(pid_t root)
{
	int status = 0;
	siginfo_t info;
	while (waitid(P_PID, (id_t)root, &info, WEXITED | WNOWAIT | __WALL) < 0 && errno == EINTR)
		;
	/* The first process has ended (a contained init has reported): whatever else is in the case's cgroup goes. */
	case_cgroup_kill(1);
	kill(-root, SIGKILL);
	while (waitpid(root, &status, __WALL) < 0 && errno == EINTR)
		;
	long long bound = now_ns() + REAP_BOUND_MS * 1000000LL;
	while (now_ns() < bound) {
		pid_t pid = waitpid(-1, NULL, WNOHANG | __WALL);
		if (pid < 0 && errno == ECHILD)
			break;
		if (pid == 0) {
			struct timespec pause = {0, 1000000};
			kill_children();
			nanosleep(&pause, NULL);
		}
	}
	journal_note("reaped %d", (int)root);
	case_cgroup_remove();
	return status;
}

static void describe_death(int status)
{
	if (WIFSIGNALED(status))
		snprintf(res.reason, sizeof res.reason, "creator died: %s", signal_name(WTERMSIG(status)));
	else
		snprintf(res.reason, sizeof res.reason, "creator ended without a record (exit code %d)", WEXITSTATUS(status));
}

/* Root runners contain every case (containment.c); a non-root runner cannot, and has nothing of the host's to lose. */
static int contained;

/* Starts body(arg) as the case root: below a contained init, or (uncontained) as a plain child in its own group. */
static pid_t start_case(void (*body)(void *), void *arg, const int *close_in_init, int nclose)
{
	int rc = case_cgroup_make();
	if (rc) {
		snprintf(res.reason, sizeof res.reason, "making the case's cgroup: %s", errno_name(-rc));
		return -1;
	}
	if (contained) {
		pid_t init = containment_start(req.scratch, body, arg, close_in_init, nclose, res.reason, sizeof res.reason);
		/* Its own group, journaled: a janitor that outlives this observer kills the init, and with it the case. */
		if (init > 0 && setpgid(init, init) == 0)
			journal_group(init);
		if (init < 0)
			case_cgroup_remove();
		return init;
	}
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		if (case_cgroup_join(0))
			_exit(122);
		body(arg);
		_exit(125);
	}
	if (pid > 0) {
		setpgid(pid, pid); /* both sides set it, so there is no window without the group */
		journal_group(pid);
	} else {
		snprintf(res.reason, sizeof res.reason, "fork: %s", errno_name(errno));
		case_cgroup_remove();
	}
	return pid;
}

/* Kills every process of the case: its contained init, or its process group. */
static void kill_case(pid_t pid)
{
	case_cgroup_kill(0);
	if (!contained)
		kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Reaps the case; the root's wait status in *status. -1 (reason set) when containment could not be made. */
static int finish_case(pid_t pid, int *status)
{
	int init_status = reap(pid);
	if (!contained) {
		*status = init_status;
		return 0;
	}
	*status = init_status;
	return containment_finish(status, res.reason, sizeof res.reason) < 0 ? -1 : 0;
}

struct creator_args {
	int result_fd, ack_fd, result_read, ack_write;
};

static void creator_body(void *arg)
{
	struct creator_args *a = arg;
	close(a->result_read);
	close(a->ack_write);
	/* The queue the child's msgget looks up lives in the case's own IPC namespace, gone with it. */
	if (contained && (req.ops & OP_MSGGET) && create_queue(&req.msg_key) < 0) {
		char line[128];
		int n = snprintf(line, sizeof line, "!msgget(IPC_CREAT) in the case: %s\n", errno_name(errno));
		write_all(a->result_fd, line, (size_t)n);
		_exit(0);
	}
	run_creator(&req, a->result_fd, a->ack_fd);
}

static void run_case(void)
{
	int result_pipe[2], ack_pipe[2];
	int queue = -1;
	long long start = now_ns();
	long long deadline = start + req.timeout_ms * 1000000LL;
	res.len = 0;
	res.truncated = 0;
	res.reason[0] = '\0';
	res.outcome = FAILED;
	if (!contained && (req.ops & OP_MSGGET) && (queue = create_queue(&req.msg_key)) < 0) {
		snprintf(res.reason, sizeof res.reason, "msgget(IPC_CREAT) in the observer: %s", errno_name(errno));
		res.duration_ns = now_ns() - start;
		return;
	}
	if (pipe2(result_pipe, O_CLOEXEC) || pipe2(ack_pipe, O_CLOEXEC)) {
		snprintf(res.reason, sizeof res.reason, "pipe: %s", errno_name(errno));
		goto out;
	}
	struct creator_args args = {result_pipe[1], ack_pipe[0], result_pipe[0], ack_pipe[1]};
	int init_closes[] = {result_pipe[1], ack_pipe[0], result_pipe[0], ack_pipe[1]};
	pid_t creator = start_case(creator_body, &args, init_closes, 4);
	close(result_pipe[1]);
	close(ack_pipe[0]);
	if (creator < 0) {
		close(result_pipe[0]);
		close(ack_pipe[1]);
		goto out;
	}
	int timed_out = read_until(result_pipe[0], deadline, 1);
	char tag = res.len ? res.text[0] : '\0';
	if (!timed_out && tag == 'W') {
		append_witness();
		close(ack_pipe[1]);
		ack_pipe[1] = -1;
		timed_out = read_until(result_pipe[0], deadline, 0);
	}
	if (timed_out)
		kill_case(creator);
	if (ack_pipe[1] >= 0)
		close(ack_pipe[1]);
	close(result_pipe[0]);
	int status = 0;
	if (finish_case(creator, &status) < 0) {
		res.outcome = FAILED;
	} else if (timed_out) {
		res.outcome = TIMEOUT;
		snprintf(res.reason, sizeof res.reason, "deadline of %ld ms passed; the case's processes were killed and reaped", req.timeout_ms);
	} else if (tag == 'W' || tag == 'C') {
		res.outcome = OBSERVED;
	} else if (tag == '!') {
		snprintf(res.reason, sizeof res.reason, "%.*s", (int)(res.len - 1), res.text + 1);
	} else {
		describe_death(status);
	}
out:
	if (queue >= 0 && msgctl(queue, IPC_RMID, NULL) == 0)
		journal_note("rm msg %d", queue);
	res.duration_ns = now_ns() - start;
}

/* The fields every record starts with: id, outcome, durationNs. */
static void begin_record(struct json *j)
{
	json_init(j, out, sizeof out);
	json_begin_object(j);
	json_key(j, "id");
	json_uint(j, req.id);
	json_key(j, "outcome");
	json_string(j, res.outcome == OBSERVED ? "observed" : res.outcome == TIMEOUT ? "timeout" : "failed");
	json_key(j, "durationNs");
	json_int(j, res.duration_ns);
}

/* A creator record cut short is no JSON to splice in: it is answered as failed, marked truncated. */
static void print_truncated_record(const char *what)
{
	struct json j;
	json_init(&j, out, sizeof out);
	json_begin_object(&j);
	json_key(&j, "id");
	json_uint(&j, req.id);
	json_key(&j, "outcome");
	json_string(&j, "failed");
	json_key(&j, "truncated");
	json_bool(&j, 1);
	json_key(&j, "reason");
	json_string(&j, what);
	json_raw(&j, "}\n", 2);
	write_all(STDOUT_FILENO, out, j.len);
}

static void print_record(void)
{
	struct json j;
	if (res.truncated && res.outcome == OBSERVED) {
		print_truncated_record("record larger than the observer's buffer for it; cut short, so not reported");
		return;
	}
	begin_record(&j);
	if (res.outcome == OBSERVED) {
		json_raw(&j, ",", 1);
		json_raw(&j, res.text + 1, res.len - 1);
	} else {
		json_key(&j, "reason");
		json_string(&j, res.reason);
	}
	json_raw(&j, "}\n", 2);
	if (j.overflow) {
		print_truncated_record("record larger than the observer's output buffer; cut short, so not reported");
		return;
	}
	write_all(STDOUT_FILENO, out, j.len);
}

static void print_failure(unsigned long long id, const char *reason)
{
	struct json j;
	json_init(&j, out, sizeof out);
	json_begin_object(&j);
	json_key(&j, "id");
	json_uint(&j, id);
	json_key(&j, "outcome");
	json_string(&j, "failed");
	json_key(&j, "reason");
	json_string(&j, reason);
	json_raw(&j, "}\n", 2);
	write_all(STDOUT_FILENO, out, j.len);
}

/* The raw C loop `npm run bench` compares the harness with: the same cases, records discarded. */
static void run_bench(void)
{
	unsigned long long cases = 0, failed = 0;
	long long start = now_ns();
	for (long pass = 0; pass < req.passes; pass++) {
		for (size_t i = 0; i < req.nflagsets; i++) {
			req.flags = req.flagsets[i];
			run_case();
			cases++;
			failed += res.outcome != OBSERVED;
		}
	}
	long long elapsed = now_ns() - start;
	int n = snprintf(out, sizeof out, "{\"id\":%llu,\"bench\":{\"cases\":%llu,\"elapsedNs\":%lld,\"failed\":%llu}}\n", req.id, cases, elapsed, failed);
	write_all(STDOUT_FILENO, out, (size_t)n);
}

static char line[LINE_MAX_BYTES];

/* Reads one line into `line`; 0 at EOF, -1 when the line was too long (skipped). */
static int read_line(void)
{
	static char buf[LINE_MAX_BYTES];
	static size_t have = 0;
	int too_long = 0;
	size_t len = 0;
	for (;;) {
		char *newline = memchr(buf, '\n', have);
		if (newline) {
			size_t n = (size_t)(newline - buf);
			if (!too_long && len + n < sizeof line) {
				memcpy(line + len, buf, n);
				len += n;
			} else {
				too_long = 1;
			}
			line[too_long ? 0 : len] = '\0';
			memmove(buf, newline + 1, have - n - 1);
			have -= n + 1;
			return too_long ? -1 : 1;
		}
		if (have == sizeof buf) {
			too_long = 1;
			have = 0;
		}
		ssize_t got = read(STDIN_FILENO, buf + have, sizeof buf - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;
		have += (size_t)got;
	}
}


static struct script script;

/* Removes what a script created in the observer's own IPC namespace, on every path (also after a timeout). */
void script_cleanup_host_objects(struct script_shared *sh)
{
	for (int i = 0; i < sh->nmsg; i++)
		if (msgctl(sh->msg_ids[i], IPC_RMID, NULL) == 0)
			journal_note("rm msg %d", sh->msg_ids[i]);
	for (int i = 0; i < sh->nsem; i++)
		if (semctl(sh->sem_ids[i], 0, IPC_RMID) == 0)
			journal_note("rm sem %d", sh->sem_ids[i]);
	for (int i = 0; i < sh->nshm; i++)
		if (shmctl(sh->shm_ids[i], IPC_RMID, NULL) == 0)
			journal_note("rm shm %d", sh->shm_ids[i]);
	for (int i = 0; i < sh->nmq; i++)
		if (mq_unlink(sh->mq_names[i]) == 0)
			journal_note("rm mq %s", sh->mq_names[i]);
	sh->nmsg = sh->nsem = sh->nshm = sh->nmq = 0;
}

/*
 * One complete line from the script's pipe: the end marker, or a step kept while it fits (with room for "]").
 * A line not shaped like a step record ({"l":...}) is bytes something else wrote to the pipe (a raw write(2) to
 * it): dropped, and the record marked truncated, so the answer stays JSON.
 */
static int take_step_line(const char *line, size_t len)
{
	static const char step_start[] = "{\"l\":\"";
	if (len == sizeof SCRIPT_END_LINE - 1 && memcmp(line, SCRIPT_END_LINE, len) == 0)
		return 1;
	if (len == 0)
		return 0;
	if (len < sizeof step_start || memcmp(line, step_start, sizeof step_start - 1) != 0 || line[len - 1] != '}') {
		res.truncated = 1;
		return 0;
	}
	int first = res.len == 1; /* res.text holds "[" and the steps so far */
	if (first || append_within(",", 1, len + 1))
		append_within(line, len, 1);
	return 0;
}

/*
 * Reads step lines until the script's root writes the end marker (then its group is killed), EOF or the deadline.
 * A line longer than any step writes is dropped whole and the record marked truncated.
 */
static int read_steps(int fd, pid_t root, long long deadline)
{
	char pending[8192];
	size_t have = 0;
	int ended = 0, skipping = 0;
	for (;;) {
		long long left = deadline - now_ns();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (left <= 0)
			return 1;
		int ready = poll(&pfd, 1, (int)(left / 1000000 + 1));
		if (ready <= 0)
			continue;
		ssize_t n = read(fd, pending + have, sizeof pending - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		have += (size_t)n;
		char *start = pending, *newline;
		while ((newline = memchr(start, '\n', have - (size_t)(start - pending)))) {
			if (!skipping)
				ended |= take_step_line(start, (size_t)(newline - start));
			skipping = 0;
			start = newline + 1;
		}
		have -= (size_t)(start - pending);
		memmove(pending, start, have);
		if (have == sizeof pending) {
			have = 0;
			skipping = 1;
			res.truncated = 1;
		}
		if (ended) {
			/* Whatever the script left running is killed, so the pipe reaches EOF; a contained init does it
			 * itself once the root exits, after removing the script's IPC objects. */
			if (!contained)
				kill_case(root);
			ended = 0;
		}
	}
}

static int report_write = -1;

/* The script's root: drops ids when asked, then runs the steps. */
static void script_root(void *unused)
{
	(void)unused;
	struct script_shared *shared = script_shared();
	if (req.drop && drop_privileges(&req, shared->drop_failure, sizeof shared->drop_failure))
		_exit(124);
	prctl(PR_SET_DUMPABLE, 1); /* after a drop, so /proc/<pid>/ files stay ours to write */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	script_run(&script, report_write, req.scratch);
}

static void run_script(void)
{
	int report[2];
	long long start = now_ns();
	long long deadline = start + req.timeout_ms * 1000000LL;
	struct script_shared *shared = script_shared_reset();
	res.len = 0;
	res.truncated = 0;
	res.reason[0] = '\0';
	res.outcome = FAILED;
	append_within("[", 1, 1); /* res.text holds "[" + step lines; print_script_record closes it */
	if (!shared || pipe2(report, O_CLOEXEC)) {
		snprintf(res.reason, sizeof res.reason, "script setup: %s", errno_name(errno));
		res.duration_ns = now_ns() - start;
		return;
	}
	report_write = report[1];
	int init_closes[] = {report[0], report[1]};
	pid_t root = start_case(script_root, NULL, init_closes, 2);
	close(report[1]);
	if (root < 0) {
		close(report[0]);
		res.duration_ns = now_ns() - start;
		return;
	}
	int timed_out = read_steps(report[0], root, deadline);
	if (timed_out)
		kill_case(root);
	close(report[0]);
	int status = 0;
	int broken = finish_case(root, &status);
	/* A contained script's SysV ids are its IPC namespace's, gone with it; only an uncontained one's are the host's. */
	if (!contained)
		script_cleanup_host_objects(shared);
	if (broken) {
		res.outcome = FAILED;
	} else if (timed_out) {
		res.outcome = TIMEOUT;
		snprintf(res.reason, sizeof res.reason, "deadline of %ld ms passed; the script's processes were killed and reaped", req.timeout_ms);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 124) {
		snprintf(res.reason, sizeof res.reason, "could not drop to %u:%u: %s", (unsigned)req.drop_uid, (unsigned)req.drop_gid,
		         shared->drop_failure[0] ? shared->drop_failure : "no reason given");
	} else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
		/* SIGKILL is the observer's own once the end marker is read; any other signal is a crash of the observer's code. */
		snprintf(res.reason, sizeof res.reason, "the script's first process was killed by %s", signal_name(WTERMSIG(status)));
	} else {
		res.outcome = OBSERVED;
	}
	res.duration_ns = now_ns() - start;
}

static void print_script_record(void)
{
	struct json j;
	res.text[res.len++] = ']'; /* every append kept a byte free for it */
	begin_record(&j);
	if (res.truncated) {
		json_key(&j, "truncated");
		json_bool(&j, 1);
	}
	if (res.outcome != OBSERVED) {
		json_key(&j, "reason");
		json_string(&j, res.reason);
	}
	json_key(&j, "steps");
	json_raw_value(&j, res.text, res.len);
	json_raw(&j, "}\n", 2);
	if (j.overflow) {
		print_failure(req.id, "script record larger than the observer's output buffer");
		return;
	}
	write_all(STDOUT_FILENO, out, j.len);
}

/* Reads the step lines that follow a script request; -1 with a reason when one is bad. */
static int read_script(char *error, size_t size)
{
	memset(&script, 0, sizeof script);
	int bad = 0;
	for (long i = 0; i < req.nlines; i++) {
		int got = read_line();
		if (got == 0) {
			snprintf(error, size, "bad script: input ended after %ld of %ld step lines", i, req.nlines);
			return -1;
		}
		if (!bad && got < 0) {
			snprintf(error, size, "bad script: step line %ld is longer than %d bytes", i, LINE_MAX_BYTES - 1);
			bad = 1;
		}
		if (!bad && script_add_line(&script, line, error, size))
			bad = 1; /* keep reading, so the next request starts on its own line */
	}
	return bad ? -1 : script_finish(&script, error, size);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exec-report") == 0)
		return script_exec_report(argc, argv);
	/* Static descriptions only, no system call from any input: safe to print even where serving is refused. */
	if (argc > 1 && strcmp(argv[1], "--list-ops") == 0)
		return list_ops();
	/* It runs any system call its input names: a setuid, setgid or file-capability copy must never serve. */
	if (getauxval(AT_SECURE)) {
		fputs("nsconform-observer: refusing to run: started set-user-ID, set-group-ID or with file capabilities (AT_SECURE), "
		      "and it executes system calls from its input; run it as the user it should act as\n", stderr);
		return 126;
	}
	pid_t harness = getppid();
	char error[512];
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != harness)
		return 1;
	script_set_self_exe(open("/proc/self/exe", O_PATH | O_CLOEXEC));
	/* The harness names a restriction that forbids containment (a seccomp profile, a limit of 0): the guard stands alone. */
	contained = geteuid() == 0 && !getenv("NSCONFORM_UNCONTAINED");
	journal_open_from_env();
	journal_observer();
	case_cgroup_open_from_env();
	for (;;) {
		int got = read_line();
		if (got == 0)
			return 0;
		if (got < 0) {
			print_failure(0, "bad request: line longer than 65535 bytes");
			continue;
		}
		if (parse_request(line, &req, error, sizeof error)) {
			print_failure(req.id, error);
			continue;
		}
		if (req.verb == VERB_QUIT)
			return 0;
		if (req.verb == VERB_SCRIPT) {
			if (read_script(error, sizeof error)) {
				print_failure(req.id, error);
				continue;
			}
			run_script();
			print_script_record();
			continue;
		}
		if (req.verb == VERB_BENCH) {
			run_bench();
			continue;
		}
		run_case();
		print_record();
	}
}
