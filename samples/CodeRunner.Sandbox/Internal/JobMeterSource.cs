namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// C source of the job meter, compiled once at start (a C compiler is a prerequisite of the sandbox).
/// <para>
/// Under bubblewrap it is the job's PID 1 (<c>--as-pid-1</c>): every orphan of the job is reparented to it, so by
/// reaping until no child is left it counts the CPU time of the whole PID namespace (getrusage(RUSAGE_CHILDREN),
/// microseconds) — a daemon or an unreaped child that burns CPU is billed like the main process. When the main
/// process exits, whatever it left behind is killed, reaped and counted. Signals the job sends to its PID 1 are ignored
/// by the kernel (no handler is installed; SIGCHLD is blocked and taken with sigtimedwait), so the job can neither
/// kill nor fool it.
/// </para>
/// <para>
/// It reports on file descriptor 3 only: a file outside the box that the launcher opened before any sandboxing. The
/// descriptor is close-on-exec and the meter is not dumpable, so the job can reach it neither through its own fd table
/// nor through /proc/1/fd. Nothing the job prints or returns (a forged "jobmeter:" line, exit 125) is read as the
/// meter's words: its own failures are <c>error=</c> lines in the report.
/// </para>
/// <para>
/// It sets the job's rlimits in the child just before exec, so they apply to the program and not to bubblewrap or to
/// the meter. RLIMIT_AS is only set when given (the job's memory is otherwise bounded as a whole).
/// </para>
/// </summary>
internal static class JobMeterSource
{
    /// <summary>The report's file descriptor, opened by the launcher (see <see cref="SandboxCommand"/>).</summary>
    public const int ReportFd = 3;

    public const string Code = """
        #define _GNU_SOURCE
        #include <dirent.h>
        #include <errno.h>
        #include <fcntl.h>
        #include <signal.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/prctl.h>
        #include <sys/resource.h>
        #include <sys/time.h>
        #include <sys/wait.h>
        #include <time.h>
        #include <unistd.h>

        #define REPORT 3

        static long long micros(struct timeval tv) { return (long long)tv.tv_sec * 1000000LL + tv.tv_usec; }

        static long long elapsed_us(const struct timespec *from) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            return (long long)(now.tv_sec - from->tv_sec) * 1000000LL + (now.tv_nsec - from->tv_nsec) / 1000;
        }

        /* Kills every direct child (orphans are reparented to us); returns whether there was one. */
        static int kill_children(void) {
            int found = 0;
            DIR *proc = opendir("/proc");
            if (proc == NULL) return 0;
            struct dirent *entry;
            while ((entry = readdir(proc)) != NULL) {
                if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
                char path[300], buf[512];
                snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0) continue;
                ssize_t n = read(fd, buf, sizeof buf - 1);
                close(fd);
                if (n <= 0) continue;
                buf[n] = 0;
                char *paren = strrchr(buf, ')');
                char state;
                int ppid;
                if (paren == NULL || sscanf(paren + 2, "%c %d", &state, &ppid) != 2) continue;
                if (ppid == getpid()) { kill(atoi(entry->d_name), SIGKILL); found = 1; }
            }
            closedir(proc);
            return found;
        }

        /* Kills and reaps everything below us, so that their CPU time is counted and nothing outlives the job. */
        static void kill_all(void) {
            for (;;) {
                if (getpid() == 1) kill(-1, SIGKILL);
                kill_children();
                while (waitpid(-1, NULL, WNOHANG) > 0) {}
                if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD) return;
                usleep(1000);
            }
        }

        static void set_limit(int resource, const char *text, int soft_to_hard) {
            rlim_t value = (rlim_t)strtoull(text, NULL, 10);
            struct rlimit rl = { value, value + (rlim_t)soft_to_hard };
            if (setrlimit(resource, &rl) != 0) {
                dprintf(REPORT, "error=setrlimit %d: %s\n", resource, strerror(errno));
                _exit(125);
            }
        }

        int main(int argc, char **argv) {
            if (argc < 10 || strcmp(argv[8], "--") != 0) {
                fprintf(stderr, "usage: jobmeter WALL_MS CPU_S AS_BYTES FSIZE_BYTES NPROC STACK_BYTES NOFILE -- PROGRAM [ARGS...]\n");
                return 125;
            }
            if (fcntl(REPORT, F_SETFD, FD_CLOEXEC) != 0) return 125;
            prctl(PR_SET_DUMPABLE, 0);
            prctl(PR_SET_CHILD_SUBREAPER, 1);
            long long wall_us_limit = atoll(argv[1]) * 1000LL;
            sigset_t chld;
            sigemptyset(&chld);
            sigaddset(&chld, SIGCHLD);
            sigprocmask(SIG_BLOCK, &chld, NULL);

            struct timespec start;
            clock_gettime(CLOCK_MONOTONIC, &start);
            pid_t pid = fork();
            if (pid < 0) { dprintf(REPORT, "error=fork: %s\n", strerror(errno)); return 125; }
            if (pid == 0) {
                sigprocmask(SIG_UNBLOCK, &chld, NULL);
                if (strcmp(argv[3], "0") != 0) set_limit(RLIMIT_AS, argv[3], 0);
                set_limit(RLIMIT_FSIZE, argv[4], 0);
                set_limit(RLIMIT_NPROC, argv[5], 0);
                set_limit(RLIMIT_STACK, argv[6], 0);
                set_limit(RLIMIT_NOFILE, argv[7], 0);
                set_limit(RLIMIT_CORE, "0", 0);
                /* The soft limit sends SIGXCPU, the hard one (a second later) SIGKILL for programs that catch it. */
                set_limit(RLIMIT_CPU, argv[2], 1);
                execv(argv[9], argv + 9);
                dprintf(REPORT, "error=exec %s: %s\n", argv[9], strerror(errno));
                _exit(125);
            }

            int status = 0, main_done = 0, timed_out = 0;
            long long wall_us = 0;
            for (;;) {
                int st;
                pid_t done;
                while ((done = waitpid(-1, &st, WNOHANG)) > 0) {
                    if (done == pid) { status = st; main_done = 1; wall_us = elapsed_us(&start); }
                }
                if (main_done || (done < 0 && errno == ECHILD)) break;
                long long left_us = wall_us_limit - elapsed_us(&start);
                if (left_us <= 0) { timed_out = 1; wall_us = elapsed_us(&start); break; }
                struct timespec wait = { left_us / 1000000LL, (left_us % 1000000LL) * 1000LL };
                sigtimedwait(&chld, NULL, &wait);
            }
            kill_all();

            struct rusage ru;
            getrusage(RUSAGE_CHILDREN, &ru);
            dprintf(REPORT, "cpu_us=%lld\nwall_us=%lld\nmaxrss_kb=%ld\ntimed_out=%d\n",
                    micros(ru.ru_utime) + micros(ru.ru_stime), wall_us, ru.ru_maxrss, timed_out);
            if (main_done && WIFEXITED(status)) dprintf(REPORT, "exit_code=%d\n", WEXITSTATUS(status));
            else if (main_done && WIFSIGNALED(status)) dprintf(REPORT, "exit_signal=%d\n", WTERMSIG(status));
            return 0;
        }
        """;
}
