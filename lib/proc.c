/*
 * proc: a child process fed and drained through three pipes.  The
 * parent's ends are non-blocking and served by one poll loop until the
 * child has closed its output and error; its input is closed as soon as
 * all of it is written (or the child stopped reading).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "proc.h"

char *
proc_find(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		return NULL;
	struct buf b = { 0 };
	for (const char *s = path;;) {
		const char *e = strchr(s, ':');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		buf_clear(&b);
		if (n == 0)
			buf_addc(&b, '.');
		else
			buf_add(&b, s, n);
		buf_addc(&b, '/');
		buf_adds(&b, name);
		if (access(b.data, X_OK) == 0) {
			char *r = xstrdup(b.data);
			buf_free(&b);
			return r;
		}
		if (!e)
			break;
		s = e + 1;
	}
	buf_free(&b);
	return NULL;
}

static void
close_all(int *fd, int n)
{
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

/* Reads what is there from fd into b; 0 at end of file, -1 on error. */
static int
drain(int fd, struct buf *b)
{
	buf_reserve(b, 65536);
	b->data[b->len] = '\0';
	ssize_t n = read(fd, b->data + b->len, 65536);
	if (n > 0) {
		b->len += (size_t)n;
		b->data[b->len] = '\0';
		return 1;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	return n == 0 ? 0 : -1;
}

int
proc_filter(const char *path, char *const argv[], const void *in, size_t n,
    struct buf *out, struct buf *err, int *status, const char **why)
{
	int p[6] = { -1, -1, -1, -1, -1, -1 }; /* in r/w, out r/w, err r/w */
	buf_reserve(out, 0);
	out->data[out->len] = '\0';
	buf_reserve(err, 0);
	err->data[err->len] = '\0';
	if (pipe(p) || pipe(p + 2) || pipe(p + 4)) {
		*why = "pipe: cannot create";
		close_all(p, 6);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		*why = "fork: cannot create a process";
		close_all(p, 6);
		return -1;
	}
	if (pid == 0) {
		/* only async-signal-safe calls until exec */
		dup2(p[0], 0);
		dup2(p[3], 1);
		dup2(p[5], 2);
		for (int i = 0; i < 6; i++)
			close(p[i]);
		signal(SIGPIPE, SIG_DFL);
		execv(path, argv);
		static const char msg[] = "cannot execute the program\n";
		ssize_t w = write(2, msg, sizeof msg - 1);
		(void)w;
		_exit(127);
	}
	close(p[0]);
	close(p[3]);
	close(p[5]);
	struct sigaction ign, old;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	int wfd = p[1], ofd = p[2], efd = p[4];
	fcntl(wfd, F_SETFL, O_NONBLOCK);
	if (n == 0) {
		close(wfd);
		wfd = -1;
	}
	size_t sent = 0;
	int rc = 0;
	while (ofd >= 0 || efd >= 0) {
		struct pollfd pf[3];
		int np = 0, wi = -1, oi = -1, ei = -1;
		if (wfd >= 0) {
			pf[np] = (struct pollfd){ wfd, POLLOUT, 0 };
			wi = np++;
		}
		if (ofd >= 0) {
			pf[np] = (struct pollfd){ ofd, POLLIN, 0 };
			oi = np++;
		}
		if (efd >= 0) {
			pf[np] = (struct pollfd){ efd, POLLIN, 0 };
			ei = np++;
		}
		if (poll(pf, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			*why = "poll: failed";
			rc = -1;
			break;
		}
		if (wi >= 0 && pf[wi].revents) {
			ssize_t w =
			    write(wfd, (const char *)in + sent, n - sent);
			if (w > 0)
				sent += (size_t)w;
			/* done, or the child stopped reading (EPIPE) */
			if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
			    sent == n) {
				close(wfd);
				wfd = -1;
			}
		}
		if (oi >= 0 && pf[oi].revents && drain(ofd, out) <= 0) {
			close(ofd);
			ofd = -1;
		}
		if (ei >= 0 && pf[ei].revents && drain(efd, err) <= 0) {
			close(efd);
			efd = -1;
		}
	}
	int fds[3] = { wfd, ofd, efd };
	close_all(fds, 3);
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR) {
			*why = "waitpid: failed";
			rc = -1;
			break;
		}
	sigaction(SIGPIPE, &old, NULL);
	return rc;
}
