using System.Globalization;
using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using static CodeRunner.Tests.Infrastructure.Judge0Languages;

namespace CodeRunner.Tests.Containment;

/// <summary>
/// Programs that try to see or touch what is not theirs: the host's environment and files, other processes, paths
/// outside their box, and IPC objects that would outlive them. Each ends contained, with nothing left behind.
/// </summary>
[Collection(nameof(HostState))]
public class EscapeTests
{
    private const string Secret = "secret-from-the-host-7f3a";

    [SandboxFact(Python)]
    public async Task Environment_and_proc_snooping_finds_nothing_of_the_host()
    {
        Environment.SetEnvironmentVariable("PAYGENTIC_API_KEY", Secret);
        try
        {
            var result = await TestSandbox.RunAsync(new Submission("""
                import os
                seen = []
                pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
                print('pids', pids)
                for pid in pids:
                    for name in ('environ', 'cmdline'):
                        try:
                            seen.append(open(f'/proc/{pid}/{name}', 'rb').read().decode('latin1'))
                        except OSError as e:
                            print(f'denied /proc/{pid}/{name}')
                for path in ('/proc/1/fd', '/proc/1/root/box', '/proc/self/mountinfo'):
                    try:
                        entries = os.listdir(path) if not path.endswith('mountinfo') else open(path).read().split('\n')
                        seen.extend(entries)
                        print('listed', path)
                    except OSError:
                        print('denied', path)
                print('env', sorted(os.environ))
                print('SECRET FOUND' if any('secret-from-the-host' in s for s in seen + list(os.environ.values())) else 'clean')
                """, Python));

            result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
            result.Stdout.Should().Contain("pids [1, 2]", "the job's PID namespace holds the meter (1) and the program (2) only");
            result.Stdout.Should().Contain("denied /proc/1/environ").And.Contain("denied /proc/1/fd", "the meter is not dumpable");
            result.Stdout.Should().Contain("env ['HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR']").And.Contain("clean");
            result.Stdout.Should().NotContain(Secret).And.NotContain("PAYGENTIC");
        }
        finally
        {
            Environment.SetEnvironmentVariable("PAYGENTIC_API_KEY", null);
        }
    }

    [SandboxFact(Python)]
    public async Task Host_files_are_not_there_to_read_and_nothing_outside_the_box_is_writable()
    {
        string token = "escape-" + Guid.NewGuid().ToString("N");
        string hostile = $$"""
            import os
            print('root', sorted(os.listdir('/')))
            for path in ('/etc/passwd', '/etc/shadow', '/root', '/work', '/home', '/run', '/var', '/opt', '/sys', '{{AppContext.BaseDirectory}}', '{{Path.GetTempPath()}}coderunner-job-x'):
                print('exists' if os.path.exists(path) else 'absent', path)
            print('tmp', os.listdir('/tmp'), 'shm', os.listdir('/dev/shm'))
            for path in ('/{{token}}', '/usr/{{token}}', '/etc/{{token}}', '/bin/{{token}}', '/.jobmeter', '/proc/sys/kernel/hostname'):
                try:
                    open(path, 'w').write('x')
                    print('WROTE', path)
                except OSError as e:
                    print('refused', path, e.__class__.__name__)
            for path in ('/box/{{token}}', '/tmp/{{token}}', '/dev/shm/{{token}}'):
                open(path, 'w').write('mine')
                print('wrote own', path)
            """;

        var result = await TestSandbox.RunAsync(new Submission(hostile, Python));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
        result.Stdout.Should().Contain("root ['.jobmeter', 'bin', 'box', 'dev', 'etc', 'lib', 'lib64', 'proc', 'sbin', 'tmp', 'usr']".Replace("'lib', 'lib64'", LibEntries(), StringComparison.Ordinal));
        result.Stdout.Should().NotContain("exists ").And.Contain("tmp [] shm []");
        result.Stdout.Should().NotContain("WROTE").And.Contain($"refused /usr/{token}").And.Contain("refused /.jobmeter");
        result.Stdout.Should().Contain($"wrote own /box/{token}").And.Contain($"wrote own /dev/shm/{token}");
        HostState.ShouldHaveNothingLeftBehind(token);
    }

    [SandboxFact(Python)]
    public async Task Posix_and_sysv_shared_memory_die_with_the_job()
    {
        string token = "ipc-" + Guid.NewGuid().ToString("N");
        var result = await TestSandbox.RunAsync(new Submission($$"""
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            key = 7
            for c in '{{token}}':
                key = (key * 31 + ord(c)) & 0x7fffffff
            shm = libc.shmget(key, 65536, 0o1000 | 0o666)
            msg = libc.msgget(key, 0o1000 | 0o666)
            fd = os.open('/dev/shm/{{token}}', os.O_CREAT | os.O_RDWR, 0o666)
            os.write(fd, b'x' * 4096)
            print('created', shm >= 0, msg >= 0)
            """, Python));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
        result.Stdout.Should().Contain("created True True");
        HostState.ShouldHaveNothingLeftBehind(token);
    }

    [SandboxFact(Bash)]
    public async Task A_double_forked_daemon_dies_with_the_job()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var result = await TestSandbox.RunAsync(new Submission("""
            ( setsid bash -c 'trap "" HUP TERM; while :; do sleep 0.1; done' </dev/null >/dev/null 2>&1 & ) &
            sleep 0.2
            echo started
            """, Bash, limits: new SubmissionLimits(cpuTimeLimit: 1m, wallTimeLimit: 10m)));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
        result.Stdout.Should().Be("started\n");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8), "the job ends with its main process, not at the 10 s wall limit");
        HostState.ShouldHaveNothingLeftBehind("daemon");
    }

    [SandboxFact(Python)]
    public async Task A_tree_deeper_than_path_max_is_contained_and_gone()
    {
        var result = await TestSandbox.RunAsync(new Submission(DeepTree, Python));

        result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr);
        result.Stdout.Should().StartWith("depth 40 path ");
        HostState.ShouldHaveNothingLeftBehind("deep");
    }

    [SandboxFact(IsolationLevel.Unavailable, Python)]
    public async Task A_tree_deeper_than_path_max_in_an_unsandboxed_box_on_disk_is_removed()
    {
        // Unsandboxed, the box is a directory on the host's disk: the cleanup itself must cope with the depth.
        string workRoot = Directory.CreateTempSubdirectory("coderunner-tests-").FullName;
        File.SetUnixFileMode(workRoot, (UnixFileMode)Convert.ToInt32("711", 8));
        try
        {
            var environment = TestSandbox.Environment.With(
                TestSandbox.Environment.Options with { WorkRoot = workRoot }, isolation: IsolationLevel.Unsandboxed, memory: MemoryEnforcement.PerProcessAddressSpace);
            var result = await new SandboxExecutor(environment).ExecuteAsync(new Submission(DeepTree, Python));

            result.Status.Should().Be(JudgeStatus.Accepted, result.Stderr + result.Message);
            int.Parse(result.Stdout!.Split(' ')[3], CultureInfo.InvariantCulture).Should().BeGreaterThan(4096, "the tree is deeper than PATH_MAX");
            Directory.EnumerateFileSystemEntries(workRoot).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(workRoot, recursive: true);
        }
    }

    [SandboxFact(Python)]
    public async Task Two_runner_processes_at_once_give_their_jobs_different_uids_and_neither_sees_the_other()
    {
        // One job runs in the sample (another process, its own executor), one here, at the same time: each prints its uid,
        // its time window and what it can see of the host's temp directory, where the sample's job directory lives. Ours
        // starts once the sample's job directory appears (an inotify event, not a guess at how long the sample takes).
        string program = """
            import os, sys, time
            start = time.time()
            time.sleep(float(sys.stdin.read() or 8))
            print('uid', os.getuid(), 'window', start, time.time())
            print('tmp', os.listdir('/tmp'), 'host tmp visible', os.path.exists('/tmp/coderunner-job-x'))
            """;
        string file = Path.Combine(Directory.CreateTempSubdirectory("coderunner-two-").FullName, "other.py");
        await File.WriteAllTextAsync(file, program);
        using var watcher = new FileSystemWatcher(Path.GetTempPath(), "coderunner-job-*") { NotifyFilter = NotifyFilters.DirectoryName };
        var sampleJobStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, _) => sampleJobStarted.TrySetResult();
        watcher.EnableRaisingEvents = true;
        Task<(int ExitCode, string Stdout, string Stderr)> other = Sample.SampleProcess.RunAsync(TimeSpan.FromSeconds(90), "--no-builtin", file);
        await sampleJobStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // This job shares the sample's uid range: the two runners must not hand out one uid twice between them.
        var defaultRange = TestSandbox.Environment.With(TestSandbox.Environment.Options with
        {
            SandboxUidBase = new SandboxOptions().SandboxUidBase,
            SandboxUidCount = new SandboxOptions().SandboxUidCount,
        });
        var here = await new SandboxExecutor(defaultRange).ExecuteAsync(new Submission(program, Python, stdin: "1"));
        var (exitCode, stdout, stderr) = await other;

        exitCode.Should().Be(0, stdout + stderr);
        here.Status.Should().Be(JudgeStatus.Accepted, here.Stderr);
        (int uid, decimal start, decimal end) mine = Window(here.Stdout!);
        (int uid, decimal start, decimal end) theirs = Window(stdout);
        (theirs.start < mine.end && mine.start < theirs.end).Should().BeTrue("the two jobs ran at the same time ({0} and {1})", mine, theirs);
        if (Environment.IsPrivilegedProcess)
        {
            theirs.uid.Should().NotBe(mine.uid, "a uid belongs to one live job on the whole host");
        }

        here.Stdout.Should().Contain("tmp [] host tmp visible False");
        stdout.Should().Contain("tmp [] host tmp visible False");
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    /// <summary>40 levels of 200-character names: over 8,000 characters, twice PATH_MAX.</summary>
    private const string DeepTree = """
        import os
        name = 'd' * 200
        for i in range(40):
            os.mkdir(name)
            os.chdir(name)
        open('leaf', 'w').write('x')
        print('depth 40 path', 40 * 201, 'chars')
        """;

    private static (int Uid, decimal Start, decimal End) Window(string stdout)
    {
        string line = stdout.Split('\n').First(l => l.TrimStart().StartsWith("uid ", StringComparison.Ordinal)).Trim();
        string[] parts = line.Split(' ');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), decimal.Parse(parts[3], CultureInfo.InvariantCulture), decimal.Parse(parts[4], CultureInfo.InvariantCulture));
    }

    private static string LibEntries() =>
        string.Join(", ", new[] { "lib", "lib32", "lib64", "libx32" }.Where(d => Directory.Exists("/" + d)).Select(d => $"'{d}'"));
}
