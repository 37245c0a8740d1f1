namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// C source of the job meter, compiled once at start when a C compiler exists.
/// <para>
/// Why a helper at all: the job is a chain of exec'ing tools (setpriv, prlimit, env, the interpreter), and the user's
/// program may fork. Only a parent that waits for the chain can read its CPU time and max RSS, children included
/// (getrusage(RUSAGE_CHILDREN) with microsecond resolution). GNU time does the same but prints centiseconds, so it is
/// only the fallback.
/// </para>
/// <para>
/// Why it must fork rather than exec: it is the first process of the job's PID namespace. The kernel ignores signals
/// without a handler sent to a namespace's init from inside (SIGXCPU from RLIMIT_CPU, abort()'s SIGABRT), so the
/// user's program must never be that process. When the helper exits, the kernel kills everything left in the
/// namespace: no descendant survives the job. Without a PID namespace it is a child subreaper instead and kills the
/// orphans it inherited before reporting.
/// </para>
/// <para>
/// It also enforces the wall-time limit itself (SIGKILL to the job when the timer fires), so the CPU time of a job
/// stopped on the wall clock is still measured.
/// </para>
/// </summary>
internal static class JobMeterSource
{
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

        static volatile sig_atomic_t timed_out = 0;
        static volatile pid_t job = 0;

        static void on_alarm(int sig) {
            (void)sig;
            timed_out = 1;
            if (job > 0) kill(job, SIGKILL);
        }

        static long long micros(struct timeval tv) { return (long long)tv.tv_sec * 1000000LL + tv.tv_usec; }

        /* Without a PID namespace every orphan of the job was reparented to us (subreaper): kill and reap them. */
        static void kill_inherited_children(void) {
            for (int round = 0; round < 200; round++) {
                int found = 0;
                DIR *proc = opendir("/proc");
                if (proc == NULL) return;
                struct dirent *entry;
                while ((entry = readdir(proc)) != NULL) {
                    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
                    char path[64], buf[512];
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
                while (waitpid(-1, NULL, WNOHANG) > 0) {}
                if (!found) return;
            }
        }

        int main(int argc, char **argv) {
            if (argc < 4) { fprintf(stderr, "usage: jobmeter META WALL_MS PROGRAM [ARGS...]\n"); return 125; }
            int meta = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (meta < 0) { perror("jobmeter: meta"); return 125; }
            long wall_ms = atol(argv[2]);
            prctl(PR_SET_CHILD_SUBREAPER, 1);
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_alarm;
            sigaction(SIGALRM, &sa, NULL);

            struct timespec start, end;
            clock_gettime(CLOCK_MONOTONIC, &start);
            pid_t pid = fork();
            if (pid < 0) { perror("jobmeter: fork"); return 125; }
            if (pid == 0) {
                execv(argv[3], argv + 3);
                perror("jobmeter: exec");
                _exit(125);
            }
            job = pid;
            struct itimerval timer;
            memset(&timer, 0, sizeof timer);
            timer.it_value.tv_sec = wall_ms / 1000;
            timer.it_value.tv_usec = (wall_ms % 1000) * 1000;
            setitimer(ITIMER_REAL, &timer, NULL);

            int status = 0;
            for (;;) {
                int st;
                pid_t done = waitpid(-1, &st, 0);
                if (done == pid) { status = st; break; }
                if (done < 0 && errno != EINTR) { perror("jobmeter: wait"); return 125; }
            }
            clock_gettime(CLOCK_MONOTONIC, &end);
            memset(&timer, 0, sizeof timer);
            setitimer(ITIMER_REAL, &timer, NULL);
            if (getpid() != 1) kill_inherited_children();

            struct rusage ru;
            getrusage(RUSAGE_CHILDREN, &ru);
            long long wall_us = (long long)(end.tv_sec - start.tv_sec) * 1000000LL + (end.tv_nsec - start.tv_nsec) / 1000;
            dprintf(meta, "cpu_us=%lld\nwall_us=%lld\nmaxrss_kb=%ld\ntimed_out=%d\n",
                    micros(ru.ru_utime) + micros(ru.ru_stime), wall_us, ru.ru_maxrss, (int)timed_out);
            if (WIFEXITED(status)) dprintf(meta, "exit_code=%d\n", WEXITSTATUS(status));
            else if (WIFSIGNALED(status)) dprintf(meta, "exit_signal=%d\n", WTERMSIG(status));
            close(meta);
            return 0;
        }
        """;
}
