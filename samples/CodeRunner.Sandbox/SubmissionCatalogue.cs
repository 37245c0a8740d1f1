namespace CodeRunner.Sandbox;

/// <summary>
/// The sample's built-in submissions: for each language a program that is Accepted, one Wrong Answer, one runtime
/// error (NZEC); compile errors and signals for C/C++; and the hostile programs, each of which the sandbox must contain
/// with a definite status. Hostile programs use small limits (1 s CPU, 3 s wall) so the whole set runs quickly.
/// </summary>
public static class SubmissionCatalogue
{
    /// <summary>Judge0 ids used below.</summary>
    private const int Python = 71;
    private const int JavaScript = 63;
    private const int Bash = 46;
    private const int C = 50;
    private const int Cpp = 54;

    /// <summary>Limits of the hostile programs: small, so that containing them is quick.</summary>
    public static SubmissionLimits HostileLimits { get; } = new(cpuTimeLimit: 1m, wallTimeLimit: 3m, memoryLimit: 64_000, maxProcessesAndOrThreads: 20, maxFileSize: 1_024);

    /// <summary>Every entry, whatever the toolchains of this machine.</summary>
    public static IReadOnlyList<CatalogueEntry> All { get; } = Build();

    /// <summary>The entries whose language is available in <paramref name="languages"/>.</summary>
    public static IReadOnlyList<CatalogueEntry> For(LanguageRegistry languages)
    {
        ArgumentNullException.ThrowIfNull(languages);
        return [.. All.Where(e => languages.IsAvailable(e.Submission.LanguageId))];
    }

    /// <summary>The entry with this name.</summary>
    /// <exception cref="KeyNotFoundException">No entry has this name.</exception>
    public static CatalogueEntry Get(string name) =>
        All.FirstOrDefault(e => e.Name == name) ?? throw new KeyNotFoundException($"No built-in submission named '{name}'.");

    private static CatalogueEntry[] Build() =>
    [
        // Python 3 (71)
        Entry("python-hello", "Reads a name from stdin and greets it.", JudgeStatus.Accepted,
            new Submission("name = input()\nprint(f\"Hello, {name}!\")\n", Python, "Judge0\n", "Hello, Judge0!")),
        Entry("python-wrong-answer", "Prints 2 + 2 where 5 is expected.", JudgeStatus.WrongAnswer,
            new Submission("print(2 + 2)\n", Python, expectedOutput: "5")),
        Entry("python-runtime-error", "Divides by zero: uncaught ZeroDivisionError, exit status 1.", JudgeStatus.RuntimeErrorNzec,
            new Submission("print(1 / 0)\n", Python)),

        // JavaScript / Node (63)
        Entry("javascript-hello", "Reads a name from stdin and greets it.", JudgeStatus.Accepted,
            new Submission("const name = require('fs').readFileSync(0, 'utf8').trim();\nconsole.log(`Hello, ${name}!`);\n", JavaScript, "Judge0\n", "Hello, Judge0!")),
        Entry("javascript-wrong-answer", "Prints 2 + 2 where 5 is expected.", JudgeStatus.WrongAnswer,
            new Submission("console.log(2 + 2);\n", JavaScript, expectedOutput: "5")),
        Entry("javascript-runtime-error", "Throws an uncaught Error: exit status 1.", JudgeStatus.RuntimeErrorNzec,
            new Submission("throw new Error('boom');\n", JavaScript)),

        // Bash (46)
        Entry("bash-hello", "Reads a name from stdin and greets it.", JudgeStatus.Accepted,
            new Submission("read -r name\necho \"Hello, $name!\"\n", Bash, "Judge0\n", "Hello, Judge0!")),
        Entry("bash-wrong-answer", "Prints 2 + 2 where 5 is expected.", JudgeStatus.WrongAnswer,
            new Submission("echo $((2 + 2))\n", Bash, expectedOutput: "5")),
        Entry("bash-runtime-error", "Exits with status 3.", JudgeStatus.RuntimeErrorNzec,
            new Submission("echo 'giving up' >&2\nexit 3\n", Bash)),

        // C (50)
        Entry("c-hello", "Reads a name from stdin and greets it.", JudgeStatus.Accepted,
            new Submission("#include <stdio.h>\nint main(void) {\n    char name[64];\n    if (scanf(\"%63s\", name) != 1) return 1;\n    printf(\"Hello, %s!\\n\", name);\n    return 0;\n}\n", C, "Judge0\n", "Hello, Judge0!")),
        Entry("c-wrong-answer", "Prints 2 + 2 where 5 is expected.", JudgeStatus.WrongAnswer,
            new Submission("#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 2 + 2); return 0; }\n", C, expectedOutput: "5")),
        Entry("c-runtime-error", "Returns 3 from main.", JudgeStatus.RuntimeErrorNzec,
            new Submission("int main(void) { return 3; }\n", C)),
        Entry("c-compile-error", "Uses an undeclared identifier: the compiler's message is in compile_output.", JudgeStatus.CompilationError,
            new Submission("int main(void) { return undeclared_value; }\n", C)),
        Entry("c-segfault", "Writes through a null pointer: SIGSEGV.", JudgeStatus.RuntimeErrorSigsegv,
            new Submission("int main(void) { volatile int *p = 0; *p = 42; return 0; }\n", C)),
        Entry("c-division-by-zero", "Integer division by zero: SIGFPE.", JudgeStatus.RuntimeErrorSigfpe,
            new Submission("#include <stdio.h>\nint main(void) { volatile int zero = 0; printf(\"%d\\n\", 42 / zero); return 0; }\n", C)),
        Entry("c-abort", "Calls abort(): SIGABRT.", JudgeStatus.RuntimeErrorSigabrt,
            new Submission("#include <stdlib.h>\nint main(void) { abort(); }\n", C)),

        // C++ (54)
        Entry("cpp-hello", "Reads a name from stdin and greets it.", JudgeStatus.Accepted,
            new Submission("#include <iostream>\n#include <string>\nint main() {\n    std::string name;\n    std::cin >> name;\n    std::cout << \"Hello, \" << name << \"!\\n\";\n}\n", Cpp, "Judge0\n", "Hello, Judge0!")),
        Entry("cpp-wrong-answer", "Prints 2 + 2 where 5 is expected.", JudgeStatus.WrongAnswer,
            new Submission("#include <iostream>\nint main() { std::cout << 2 + 2 << '\\n'; }\n", Cpp, expectedOutput: "5")),
        Entry("cpp-runtime-error", "Returns 3 from main.", JudgeStatus.RuntimeErrorNzec,
            new Submission("int main() { return 3; }\n", Cpp)),
        Entry("cpp-uncaught-exception", "Throws an uncaught exception: std::terminate calls abort, SIGABRT.", JudgeStatus.RuntimeErrorSigabrt,
            new Submission("#include <stdexcept>\nint main() { throw std::runtime_error(\"boom\"); }\n", Cpp)),
        Entry("cpp-compile-error", "Assigns a string to an int: the compiler's message is in compile_output.", JudgeStatus.CompilationError,
            new Submission("#include <string>\nint main() { int x = std::string(\"no\"); return x; }\n", Cpp)),

        // Hostile programs: each must be contained, with a definite status.
        Entry("hostile-infinite-loop", "Spins forever: RLIMIT_CPU sends SIGXCPU after 1 s of CPU.", JudgeStatus.TimeLimitExceeded,
            new Submission("while True:\n    pass\n", Python, limits: HostileLimits)),
        Entry("hostile-sleep", "Sleeps without using CPU: stopped on the 3 s wall clock.", JudgeStatus.TimeLimitExceeded,
            new Submission("sleep 30\n", Bash, limits: HostileLimits)),
        new("hostile-fork-bomb",
            "Forks without end. RLIMIT_NPROC and the pids cgroup (20, for the job's own uid) make fork() fail; the " +
            "uncaught BlockingIOError ends the first process with status 1, and the meter (PID 1 of the namespace) kills and " +
            "reaps every remaining process. Usually 11 NZEC; 5 or 12 if a limit or a signal wins the race.",
            new Submission("import os\nwhile True:\n    os.fork()\n", Python, limits: HostileLimits),
            [JudgeStatus.RuntimeErrorNzec, JudgeStatus.TimeLimitExceeded, JudgeStatus.RuntimeErrorOther]),
        Entry("hostile-memory-hog", "Allocates 1 GiB under a 64000 KB job memory limit: killed for memory, 12 Runtime Error with \"memory limit exceeded\".", JudgeStatus.RuntimeErrorOther,
            new Submission("print('allocating 1 GiB', flush=True)\nhog = bytearray(1024 * 1024 * 1024)\nprint('allocated', len(hog))\n", Python, limits: HostileLimits)),
        Entry("hostile-network", NetworkDescription, JudgeStatus.RuntimeErrorNzec,
            new Submission(NetworkProgram, Python, limits: HostileLimits)),
        Entry("hostile-output-flood", "Writes 8 MB to stdout and exits 0: Accepted, stdout capped at 64 KB with a note in message.", JudgeStatus.Accepted,
            new Submission("import sys\nline = 'x' * 1023 + '\\n'\nfor _ in range(8192):\n    sys.stdout.write(line)\n", Python, limits: HostileLimits)),
        Entry("hostile-file-flood", "Writes zeros to a file past the 1024 KB limit: RLIMIT_FSIZE sends SIGXFSZ.", JudgeStatus.RuntimeErrorSigxfsz,
            new Submission("exec head -c 100000000 /dev/zero > flood.bin\n", Bash, limits: HostileLimits)),
        Entry("hostile-env-dump", "Prints its whole environment (like env): only PATH, HOME, TMPDIR and LANG are set; nothing of the host leaks.", JudgeStatus.Accepted,
            new Submission("import os\nfor name, value in sorted(os.environ.items()):\n    print(f\"{name}={value}\")\n", Python, limits: HostileLimits)),
    ];

    private const string NetworkDescription =
        "Tries to connect to 1.1.1.1:53 and to 127.0.0.1 (port from stdin, default 22). Prints 'connected …' or " +
        "'blocked …' per target and exits 1 when nothing connected: in the empty network namespace both fail at once.";

    private const string NetworkProgram = """
        import socket, sys
        port = int((sys.stdin.read().strip() or "22"))
        connected = False
        for host, p in (("1.1.1.1", 53), ("127.0.0.1", port)):
            try:
                socket.create_connection((host, p), timeout=1).close()
                print(f"connected {host}:{p}")
                connected = True
            except OSError as error:
                print(f"blocked {host}:{p} {error}")
        sys.exit(0 if connected else 1)

        """;

    private static CatalogueEntry Entry(string name, string description, JudgeStatus expected, Submission submission) =>
        new(name, description, submission, [expected]);
}
