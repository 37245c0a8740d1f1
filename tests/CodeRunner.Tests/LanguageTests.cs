using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using static CodeRunner.Tests.Infrastructure.Judge0Languages;

namespace CodeRunner.Tests;

/// <summary>Each language end to end: real compilers and interpreters, real child processes.</summary>
public class LanguageTests
{
    [SandboxFact(Python)]
    public Task Python_hello_is_accepted() => AssertHelloAsync("python-hello");

    [SandboxFact(Python)]
    public Task Python_wrong_answer() => AssertStatusAsync("python-wrong-answer", JudgeStatus.WrongAnswer, stdout: "4\n");

    [SandboxFact(Python)]
    public async Task Python_runtime_error_is_nzec()
    {
        var result = await AssertStatusAsync("python-runtime-error", JudgeStatus.RuntimeErrorNzec);
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("ZeroDivisionError");
    }

    [SandboxFact(JavaScript)]
    public Task JavaScript_hello_is_accepted() => AssertHelloAsync("javascript-hello");

    [SandboxFact(JavaScript)]
    public Task JavaScript_wrong_answer() => AssertStatusAsync("javascript-wrong-answer", JudgeStatus.WrongAnswer, stdout: "4\n");

    [SandboxFact(JavaScript)]
    public async Task JavaScript_runtime_error_is_nzec()
    {
        var result = await AssertStatusAsync("javascript-runtime-error", JudgeStatus.RuntimeErrorNzec);
        result.Stderr.Should().Contain("Error: boom");
    }

    [SandboxFact(Bash)]
    public Task Bash_hello_is_accepted() => AssertHelloAsync("bash-hello");

    [SandboxFact(Bash)]
    public Task Bash_wrong_answer() => AssertStatusAsync("bash-wrong-answer", JudgeStatus.WrongAnswer, stdout: "4\n");

    [SandboxFact(Bash)]
    public async Task Bash_runtime_error_is_nzec()
    {
        var result = await AssertStatusAsync("bash-runtime-error", JudgeStatus.RuntimeErrorNzec);
        result.ExitCode.Should().Be(3);
        result.Message.Should().Be("Exited with error status 3");
    }

    [SandboxFact(C)]
    public Task C_hello_is_accepted() => AssertHelloAsync("c-hello");

    [SandboxFact(C)]
    public Task C_wrong_answer() => AssertStatusAsync("c-wrong-answer", JudgeStatus.WrongAnswer, stdout: "4\n");

    [SandboxFact(C)]
    public Task C_runtime_error_is_nzec() => AssertStatusAsync("c-runtime-error", JudgeStatus.RuntimeErrorNzec);

    [SandboxFact(C)]
    public async Task C_compile_error_has_compile_output_and_does_not_run()
    {
        var result = await AssertStatusAsync("c-compile-error", JudgeStatus.CompilationError);
        result.CompileOutput.Should().Contain("undeclared_value");
        result.Time.Should().BeNull("compile time is not run time");
        result.IsBillable.Should().BeTrue();
    }

    [SandboxFact(C)]
    public async Task C_signals_map_to_their_statuses()
    {
        (await AssertStatusAsync("c-segfault", JudgeStatus.RuntimeErrorSigsegv)).ExitSignal.Should().Be(11);
        (await AssertStatusAsync("c-division-by-zero", JudgeStatus.RuntimeErrorSigfpe)).ExitSignal.Should().Be(8);
        (await AssertStatusAsync("c-abort", JudgeStatus.RuntimeErrorSigabrt)).ExitSignal.Should().Be(6);
    }

    [SandboxFact(Cpp)]
    public Task Cpp_hello_is_accepted() => AssertHelloAsync("cpp-hello");

    [SandboxFact(Cpp)]
    public Task Cpp_wrong_answer() => AssertStatusAsync("cpp-wrong-answer", JudgeStatus.WrongAnswer, stdout: "4\n");

    [SandboxFact(Cpp)]
    public Task Cpp_runtime_error_is_nzec() => AssertStatusAsync("cpp-runtime-error", JudgeStatus.RuntimeErrorNzec);

    [SandboxFact(Cpp)]
    public Task Cpp_uncaught_exception_is_sigabrt() => AssertStatusAsync("cpp-uncaught-exception", JudgeStatus.RuntimeErrorSigabrt);

    [SandboxFact(Cpp)]
    public async Task Cpp_compile_error_has_compile_output()
    {
        var result = await AssertStatusAsync("cpp-compile-error", JudgeStatus.CompilationError);
        result.CompileOutput.Should().Contain("error");
    }

    [SandboxFact(Python)]
    public async Task Unavailable_language_is_an_unbilled_internal_error()
    {
        var environment = TestSandbox.Environment;
        var withoutPython = new LanguageRegistry(environment.Languages.Available.Where(l => l.Id != Python), ["71 Python: removed by the test"]);
        var executor = new SandboxExecutor(environment.With(languages: withoutPython));

        var result = await executor.ExecuteAsync(new Submission("print(1)", Python));

        result.Status.Should().Be(JudgeStatus.InternalError);
        result.IsBillable.Should().BeFalse();
        result.ExecutionMilliseconds.Should().Be(0);
        result.Message.Should().Contain("71");
    }

    private static async Task AssertHelloAsync(string name)
    {
        var result = await AssertStatusAsync(name, JudgeStatus.Accepted, stdout: "Hello, Judge0!\n");
        result.ExitCode.Should().Be(0);
        result.Time.Should().BeGreaterThan(0m);
        result.WallTime.Should().BeGreaterThan(0m);
        result.Memory.Should().BeGreaterThan(0);
        result.ExecutionMilliseconds.Should().BeGreaterThanOrEqualTo(1);
        result.IsBillable.Should().BeTrue();
        result.Isolation.Should().Be(TestSandbox.Environment.Isolation);
    }

    private static async Task<SubmissionResult> AssertStatusAsync(string name, JudgeStatus expected, string? stdout = null)
    {
        var result = await TestSandbox.RunAsync(name);
        result.Status.Should().Be(expected, "{0} ended with message '{1}', stderr '{2}', compile output '{3}'",
            name, result.Message, result.Stderr, result.CompileOutput);
        if (stdout is not null)
        {
            result.Stdout.Should().Be(stdout);
        }

        return result;
    }
}
