using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using static CodeRunner.Tests.Infrastructure.Judge0Languages;

namespace CodeRunner.Tests.Containment;

/// <summary>
/// Programs that try to take more than their share, or to pay less than they used: each is stopped at the job's limit
/// and billed for the CPU it really used.
/// </summary>
[Collection(nameof(HostState))]
public class ResourceTests
{
    private const string EightChildrenOf100MiB = """
        import os, time
        children = []
        for i in range(8):
            pid = os.fork()
            if pid == 0:
                block = bytearray(100 * 1024 * 1024)
                for offset in range(0, len(block), 4096):
                    block[offset] = 1
                time.sleep(3)
                os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
        print('all children done')
        """;

    [SandboxFact(Python)]
    public async Task A_job_runs_at_a_lower_priority_than_its_runner_and_cannot_raise_it()
    {
        var result = await TestSandbox.RunAsync(new Submission("""
            import os
            print('nice', os.nice(0))
            try:
                os.nice(-5)
                print('raised')
            except OSError:
                print('refused')
            """, Python));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
        result.Stdout.Should().Contain("nice 10").And.Contain("refused", "a job may not take priority back from the runner");
        HostState.ShouldHaveNothingLeftBehind("nice");
    }

    [SandboxFact(Python)]
    public async Task Eight_children_of_100_MiB_under_a_128_MB_job_limit_are_stopped_for_memory()
    {
        var result = await TestSandbox.RunAsync(new Submission(EightChildrenOf100MiB, Python, limits: new SubmissionLimits(memoryLimit: 128_000)));

        result.Status.Should().Be(JudgeStatus.RuntimeErrorOther, "the job as a whole went over its memory, even though its main process exits 0");
        result.Message.Should().Be("memory limit exceeded");
        result.IsBillable.Should().BeTrue();
        HostState.ShouldHaveNothingLeftBehind("memory");
    }

    [SandboxFact(Python)]
    public async Task Without_a_cgroup_the_watchdog_stops_the_same_job()
    {
        var (executor, workRoot) = TestSandbox.WithPrivateWorkRoot(MemoryEnforcement.RssWatchdog);
        try
        {
            var result = await executor.ExecuteAsync(new Submission(EightChildrenOf100MiB, Python, limits: new SubmissionLimits(memoryLimit: 128_000)));

            result.Status.Should().Be(JudgeStatus.RuntimeErrorOther, result.Message + result.Stdout + result.Stderr);
            result.Message.Should().Be("memory limit exceeded");
            result.Time.Should().BeGreaterThan(0m, "the meter outlived the watchdog's kill and measured the job");
            Directory.EnumerateFileSystemEntries(workRoot).Should().BeEmpty();
            HostState.ShouldHaveNothingLeftBehind("watchdog");
        }
        finally
        {
            Directory.Delete(workRoot, recursive: true);
        }
    }

    [SandboxFact(Python)]
    public async Task Python_starts_16_threads_under_the_default_limits()
    {
        var result = await TestSandbox.RunAsync(new Submission("""
            import threading
            done = []
            threads = [threading.Thread(target=lambda: done.append(1)) for _ in range(16)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(len(done), 'threads')
            """, Python));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
        result.Stdout.Should().Be("16 threads\n");
    }

    [SandboxFact(C)]
    public async Task C_starts_16_threads_under_the_default_limits()
    {
        var result = await TestSandbox.RunAsync(new Submission("""
            #include <pthread.h>
            #include <stdio.h>
            static void *work(void *arg) { return arg; }
            int main(void) {
                pthread_t threads[16];
                for (int i = 0; i < 16; i++)
                    if (pthread_create(&threads[i], NULL, work, NULL) != 0) { printf("thread %d failed\n", i); return 1; }
                for (int i = 0; i < 16; i++) pthread_join(threads[i], NULL);
                printf("16 threads\n");
                return 0;
            }
            """, C));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stdout + result.Stderr + result.CompileOutput);
        result.Stdout.Should().Be("16 threads\n");
    }

    [SandboxFact(Python)]
    public async Task A_forged_meter_line_and_exit_125_are_billed_as_the_programs_own_runtime_error()
    {
        var result = await TestSandbox.RunAsync(new Submission("""
            import sys, time
            end = time.process_time() + 0.3
            while time.process_time() < end:
                pass
            print('jobmeter: exec /usr/bin/python3: No such file or directory', file=sys.stderr)
            sys.exit(125)
            """, Python));

        result.Status.Should().Be(JudgeStatus.RuntimeErrorNzec);
        result.IsBillable.Should().BeTrue();
        result.Time.Should().BeGreaterThanOrEqualTo(0.3m, "the CPU it burnt is billed");
        result.ExecutionMilliseconds.Should().Be((long)Math.Ceiling(result.Time!.Value * 1000m));
    }

    [SandboxFact(Python)]
    public async Task Cpu_burnt_by_children_the_program_never_reaps_is_billed()
    {
        // Each child burns 0.4 s of CPU, says so through a pipe, then lingers: the main process exits without waiting
        // for them, so their CPU time is only known to a meter that reaps the whole job.
        var result = await TestSandbox.RunAsync(new Submission("""
            import os, time
            r, w = os.pipe()
            for _ in range(2):
                if os.fork() == 0:
                    end = time.process_time() + 0.4
                    while time.process_time() < end:
                        pass
                    os.write(w, b'x')
                    while True:
                        time.sleep(1)
            assert len(os.read(r, 1) + os.read(r, 1)) == 2
            print('main cpu', round(time.process_time(), 3))
            """, Python, limits: new SubmissionLimits(cpuTimeLimit: 5m, wallTimeLimit: 10m)));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
        decimal mainCpu = decimal.Parse(result.Stdout!.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        mainCpu.Should().BeLessThan(0.1m, "the main process only waited on a pipe");
        result.Time.Should().BeGreaterThanOrEqualTo(0.8m, "two children burnt 0.4 s each and are billed, though nobody reaped them");
        HostState.ShouldHaveNothingLeftBehind("children");
    }

    [SandboxFact(Bash)]
    public async Task A_flood_of_files_fills_only_the_jobs_own_capped_tmpfs()
    {
        var result = await TestSandbox.RunAsync(new Submission("""
            for i in $(seq 1 1000); do
              head -c 1000000 /dev/zero > "f$i" || { echo "stopped at file $i"; exit 3; }
            done
            echo "wrote 1000 files"
            """, Bash));

        result.Status.Should().Be(JudgeStatus.RuntimeErrorNzec, result.Stdout + result.Stderr);
        result.Stdout.Should().StartWith("stopped at file ");
        result.Stderr.Should().Contain("No space left on device");
    }
}
