/*
 * script.c - running rastream's -f script on closed files: each runs in
 * the background with its output on a pipe that rastream reads and logs
 * line by line; it is reaped when it ends and killed (SIGTERM, then
 * SIGKILL 5 s later) when it runs past the timeout.
 */
#include "config.h"

#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct child {
	pid_t pid;
	int fd;			/* its stdout and stderr; -1 once closed */
	uint64_t deadline;
	bool termed;
	char file[512];
	char line[512];
	size_t len;
};

struct scripts {
	const char *path;
	uint64_t timeout;
	script_log_fn log;
	struct child c[SCRIPT_MAX];
	unsigned n;
};

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct scripts *scripts_new(const char *path, uint64_t timeout_us, script_log_fn log)
{
	struct scripts *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->path = path;
	s->timeout = timeout_us;
	s->log = log;
	return s;
}

static void out_line(struct scripts *s, struct child *c)
{
	c->line[c->len] = '\0';
	s->log("%s %s: %s", s->path, c->file, c->line);
	c->len = 0;
}

/* Read what the child wrote; log whole lines. */
static void drain(struct scripts *s, struct child *c)
{
	char buf[1024];

	while (c->fd >= 0) {
		ssize_t got = read(c->fd, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			return;
		if (got <= 0) {
			if (c->len)
				out_line(s, c);
			close(c->fd);
			c->fd = -1;
			return;
		}
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] == '\n' || c->len == sizeof(c->line) - 1)
				out_line(s, c);
			if (buf[i] != '\n')
				c->line[c->len++] = buf[i];
		}
	}
}

static bool reap(struct scripts *s, struct child *c, bool block)
{
	int st;
	pid_t p = waitpid(c->pid, &st, block ? 0 : WNOHANG);

	if (p == 0)
		return false;
	drain(s, c);
	if (c->fd >= 0)
		close(c->fd);
	if (p < 0)
		s->log("%s %s: %s", s->path, c->file, strerror(errno));
	else if (WIFSIGNALED(st))
		s->log("%s %s: killed by signal %d%s", s->path, c->file, WTERMSIG(st),
		       c->termed ? " (ran past its timeout)" : "");
	else if (WEXITSTATUS(st) != 0)
		s->log("%s %s: exit status %d", s->path, c->file, WEXITSTATUS(st));
	*c = s->c[--s->n];
	return true;
}

void scripts_poll(struct scripts *s, bool wait)
{
	do {
		struct pollfd pfd[SCRIPT_MAX];
		unsigned np = 0;
		uint64_t now = mono_us();

		for (unsigned i = 0; i < s->n; i++) {
			struct child *c = &s->c[i];
			if (now >= c->deadline) {
				kill(c->pid, c->termed ? SIGKILL : SIGTERM);
				c->termed = true;
				c->deadline = now + 5000000;
			}
			if (c->fd >= 0) {
				pfd[np].fd = c->fd;
				pfd[np++].events = POLLIN;
			}
		}
		if (wait && s->n)
			poll(pfd, np, np ? 100 : 50);
		for (unsigned i = 0; i < s->n; i++)
			drain(s, &s->c[i]);
		for (unsigned i = 0; i < s->n;)
			if (!reap(s, &s->c[i], false))
				i++;
	} while (wait && s->n);
}

void scripts_run(struct scripts *s, const char *file)
{
	int pipefd[2];
	pid_t pid;
	struct child *c;

	while (s->n == SCRIPT_MAX) {
		scripts_poll(s, false);
		if (s->n == SCRIPT_MAX)
			usleep(20000);
	}
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		s->log("%s %s: pipe: %s", s->path, file, strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		s->log("%s %s: fork: %s", s->path, file, strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		signal(SIGPIPE, SIG_DFL);
		execl(s->path, s->path, file, (char *)NULL);
		dprintf(2, "cannot run: %s\n", strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, fcntl(pipefd[0], F_GETFL) | O_NONBLOCK);
	c = &s->c[s->n++];
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->fd = pipefd[0];
	c->deadline = mono_us() + s->timeout;
	snprintf(c->file, sizeof(c->file), "%s", file);
}

void scripts_free(struct scripts *s)
{
	if (!s)
		return;
	scripts_poll(s, true);
	free(s);
}
