/*
 * daemon.c - what makes argus a well-behaved daemon: logging to stderr or
 * syslog(3), going to the background, the pid file, dropping privileges
 * (chroot, then group, then user; after capture handles and outputs are
 * open, before the first packet is parsed) and signal handling.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon.h"

volatile sig_atomic_t daemon_stop;
volatile sig_atomic_t daemon_reopen;

static const char *log_prog = "argus";
static bool log_syslog;

void log_open(const char *prog, bool use_syslog)
{
	log_prog = prog;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(prog, LOG_PID, LOG_DAEMON);
}

static void vlog(int prio, const char *fmt, va_list ap)
{
	if (log_syslog) {
		vsyslog(prio, fmt, ap);
		return;
	}
	fprintf(stderr, "%s: ", log_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		daemon_reopen = 1;
	else
		daemon_stop = 1;
}

bool daemon_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) || sigaction(SIGHUP, &sa, NULL))
		return false;
	signal(SIGPIPE, SIG_IGN);
	return true;
}

bool daemon_background(bool keep_stdout)
{
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (pid > 0)
		_exit(0);
	int fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		if (!keep_stdout)
			dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return true;
}

bool daemon_write_pidfile(const char *path)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return false;
	fprintf(fp, "%ld\n", (long)getpid());
	return fclose(fp) == 0;
}

void daemon_remove_pidfile(const char *path)
{
	if (path)
		unlink(path);
}

bool daemon_drop_privileges(const char *user, const char *group, const char *chroot_dir)
{
	struct passwd *pw = NULL;
	gid_t gid = (gid_t)-1;

	if (user) {
		pw = getpwnam(user);
		if (!pw) {
			log_warn("-u %s: no such user", user);
			return false;
		}
		gid = pw->pw_gid;
	}
	if (group) {
		struct group *gr = getgrnam(group);
		if (!gr) {
			log_warn("-g %s: no such group", group);
			return false;
		}
		gid = gr->gr_gid;
	}
	if (chroot_dir) {
		if (chroot(chroot_dir) != 0 || chdir("/") != 0) {
			log_warn("chroot %s: %s", chroot_dir, strerror(errno));
			return false;
		}
	}
	if (gid != (gid_t)-1) {
		if (setgroups(1, &gid) != 0 || setgid(gid) != 0) {
			log_warn("setgid %ld: %s", (long)gid, strerror(errno));
			return false;
		}
	}
	if (pw && setuid(pw->pw_uid) != 0) {
		log_warn("setuid %s: %s", user, strerror(errno));
		return false;
	}
	if (pw && setuid(0) == 0) {
		log_warn("could not drop root privileges");
		return false;
	}
	return true;
}
