/*
 * script.c - children for ban and unban scripts (script.h).
 *
 * A child gets its own process group (so a timeout kills what it started
 * too), /dev/null on standard input, a pipe on standard output and error,
 * and no other descriptor.  raban reads the pipe without blocking, logs
 * the first SCRIPT_LOG_BYTES and drops the rest, so a chatty script can
 * neither fill memory nor stall detection.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "script.h"

#define KILL_GRACE_MS 2000

struct job {
	char *path, *what, *key;
	char **env;
};

struct child {
	pid_t pid;			/* 0 = free */
	int fd;				/* output pipe, -1 once closed */
	uint64_t start_ms, term_ms;
	bool termed, killed;
	struct job job;
	size_t logged, dropped;
	char line[256];
	size_t llen;
};

struct scripts {
	unsigned max;
	uint64_t timeout_ms;
	script_log log;
	struct child *kids;
	struct job queue[SCRIPT_QUEUE];
	unsigned qhead, qlen;
	unsigned running;
	uint64_t now_ms;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void logf_(struct scripts *s, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void logf_(struct scripts *s, bool error, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->log(error, buf);
}

struct scripts *scripts_new(unsigned max_running, uint64_t timeout_ms, script_log log)
{
	struct scripts *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->max = max_running ? max_running : 1;
	s->timeout_ms = timeout_ms;
	s->log = log;
	s->kids = calloc(s->max, sizeof(*s->kids));
	if (!s->kids) {
		free(s);
		return NULL;
	}
	for (unsigned i = 0; i < s->max; i++)
		s->kids[i].fd = -1;
	return s;
}

static void job_free(struct job *j)
{
	if (j->env)
		for (char **e = j->env; *e; e++)
			free(*e);
	free(j->env);
	free(j->path);
	free(j->what);
	free(j->key);
	memset(j, 0, sizeof(*j));
}

void scripts_free(struct scripts *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->max; i++) {
		if (s->kids[i].fd >= 0)
			close(s->kids[i].fd);
		job_free(&s->kids[i].job);
	}
	while (s->qlen) {
		job_free(&s->queue[s->qhead]);
		s->qhead = (s->qhead + 1) % SCRIPT_QUEUE;
		s->qlen--;
	}
	free(s->kids);
	free(s);
}

bool scripts_run(struct scripts *s, const char *path, char *const *env, const char *what,
		 const char *key)
{
	struct job j;
	size_t n = 0;

	if (s->qlen >= SCRIPT_QUEUE) {
		logf_(s, true, "script %s for %s not run: %u scripts already waiting", path, what, SCRIPT_QUEUE);
		return false;
	}
	while (env[n])
		n++;
	memset(&j, 0, sizeof(j));
	j.path = strdup(path);
	j.what = strdup(what);
	j.key = strdup(key);
	j.env = calloc(n + 1, sizeof(char *));
	if (!j.path || !j.what || !j.key || !j.env) {
		job_free(&j);
		logf_(s, true, "script %s for %s not run: out of memory", path, what);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (!(j.env[i] = strdup(env[i]))) {
			job_free(&j);
			logf_(s, true, "script %s for %s not run: out of memory", path, what);
			return false;
		}
	s->queue[(s->qhead + s->qlen) % SCRIPT_QUEUE] = j;
	s->qlen++;
	scripts_service(s, 0);
	return true;
}

static void child_exec(const struct job *j, int out)
{
	char *argv[2];
	int null = open("/dev/null", O_RDONLY);
	long maxfd = sysconf(_SC_OPEN_MAX);

	setpgid(0, 0);
	if (null >= 0 && null != 0) {
		dup2(null, 0);
		close(null);
	}
	dup2(out, 1);
	dup2(out, 2);
	if (out > 2)
		close(out);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	for (int fd = 3; fd < maxfd; fd++)
		close(fd);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	argv[0] = j->path;
	argv[1] = NULL;
	execve(j->path, argv, j->env);
	dprintf(2, "execve %s: %s\n", j->path, strerror(errno));
	_exit(127);
}

static void start(struct scripts *s, struct child *k, struct job *j)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0) {
		logf_(s, true, "script %s for %s not run: pipe: %s", j->path, j->what, strerror(errno));
		job_free(j);
		return;
	}
	pid = fork();
	if (pid < 0) {
		logf_(s, true, "script %s for %s not run: fork: %s", j->path, j->what, strerror(errno));
		close(p[0]);
		close(p[1]);
		job_free(j);
		return;
	}
	if (pid == 0) {
		close(p[0]);
		child_exec(j, p[1]);
	}
	setpgid(pid, pid);
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->fd = p[0];
	k->start_ms = mono_ms();
	k->job = *j;
	memset(j, 0, sizeof(*j));
	s->running++;
	logf_(s, false, "script %s for %s started (pid %d)", k->job.path, k->job.what, (int)pid);
}

static void flush_line(struct scripts *s, struct child *k)
{
	if (!k->llen)
		return;
	if (k->logged < SCRIPT_LOG_BYTES) {
		logf_(s, false, "script %s[%d]: %.*s", k->job.path, (int)k->pid, (int)k->llen, k->line);
		k->logged += k->llen;
	} else {
		k->dropped += k->llen;
	}
	k->llen = 0;
}

static void drain(struct scripts *s, struct child *k)
{
	char buf[4096];
	for (int rounds = 0; k->fd >= 0 && rounds < 64; rounds++) {
		ssize_t n = read(k->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			flush_line(s, k);
			close(k->fd);
			k->fd = -1;
			return;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || k->llen == sizeof(k->line)) {
				flush_line(s, k);
				if (buf[i] == '\n')
					continue;
			}
			if (k->logged >= SCRIPT_LOG_BYTES) {
				k->dropped++;
				continue;
			}
			k->line[k->llen++] = buf[i];
		}
	}
}

static void reaped(struct scripts *s, struct child *k, int status)
{
	if (k->fd >= 0)
		drain(s, k);
	if (k->fd >= 0) {
		close(k->fd);
		k->fd = -1;
	}
	flush_line(s, k);
	if (k->dropped)
		logf_(s, false, "script %s[%d]: %zu more bytes of output not logged", k->job.path, (int)k->pid,
		      k->dropped);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		logf_(s, false, "script %s for %s ended (pid %d, exit 0, %llu ms)", k->job.path, k->job.what,
		      (int)k->pid, (unsigned long long)(mono_ms() - k->start_ms));
	else if (WIFEXITED(status))
		logf_(s, true, "script %s for %s failed (pid %d, exit %d)", k->job.path, k->job.what,
		      (int)k->pid, WEXITSTATUS(status));
	else
		logf_(s, true, "script %s for %s failed (pid %d, killed by signal %d%s)", k->job.path,
		      k->job.what, (int)k->pid, WIFSIGNALED(status) ? WTERMSIG(status) : 0,
		      k->termed ? ", timed out" : "");
	job_free(&k->job);
	k->pid = 0;
	s->running--;
}

/* Must waiting job q wait for another job of its key? */
static bool key_busy(const struct scripts *s, unsigned q)
{
	const char *key = s->queue[(s->qhead + q) % SCRIPT_QUEUE].key;
	for (unsigned i = 0; i < s->max; i++)
		if (s->kids[i].pid && s->kids[i].job.key && !strcmp(s->kids[i].job.key, key))
			return true;
	for (unsigned p = 0; p < q; p++)
		if (!strcmp(s->queue[(s->qhead + p) % SCRIPT_QUEUE].key, key))
			return true;
	return false;
}

void scripts_service(struct scripts *s, uint64_t now_ms)
{
	(void)now_ms;
	uint64_t now = mono_ms();

	for (unsigned i = 0; i < s->max; i++) {
		struct child *k = &s->kids[i];
		int status;
		pid_t r;
		if (!k->pid)
			continue;
		if (k->fd >= 0)
			drain(s, k);
		r = waitpid(k->pid, &status, WNOHANG);
		if (r == k->pid) {
			kill(-k->pid, SIGKILL);		/* what it left behind in its group */
			reaped(s, k, status);
			continue;
		}
		if (s->timeout_ms && !k->termed && now - k->start_ms >= s->timeout_ms) {
			logf_(s, true, "script %s for %s still running after %llu s: terminating it",
			      k->job.path, k->job.what, (unsigned long long)(s->timeout_ms / 1000));
			kill(-k->pid, SIGTERM);
			k->termed = true;
			k->term_ms = now;
		} else if (k->termed && !k->killed && now - k->term_ms >= KILL_GRACE_MS) {
			kill(-k->pid, SIGKILL);
			k->killed = true;
		}
	}
	for (unsigned i = 0; i < s->max && s->qlen; i++) {
		unsigned q;
		if (s->kids[i].pid)
			continue;
		/* the first waiting job whose key is neither running nor waiting before it */
		for (q = 0; q < s->qlen; q++)
			if (!key_busy(s, q))
				break;
		if (q == s->qlen)
			break;
		start(s, &s->kids[i], &s->queue[(s->qhead + q) % SCRIPT_QUEUE]);
		for (unsigned k = q; k > 0; k--)
			s->queue[(s->qhead + k) % SCRIPT_QUEUE] = s->queue[(s->qhead + k - 1) % SCRIPT_QUEUE];
		memset(&s->queue[s->qhead], 0, sizeof(s->queue[0]));
		s->qhead = (s->qhead + 1) % SCRIPT_QUEUE;
		s->qlen--;
	}
}

unsigned scripts_pollfds(struct scripts *s, struct pollfd *pfd, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < s->max && n < max; i++)
		if (s->kids[i].pid && s->kids[i].fd >= 0) {
			pfd[n].fd = s->kids[i].fd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
	return n;
}

unsigned scripts_pending(const struct scripts *s)
{
	return s->running + s->qlen;
}
