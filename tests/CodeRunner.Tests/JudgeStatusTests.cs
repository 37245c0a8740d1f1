using CodeRunner.Sandbox;

namespace CodeRunner.Tests;

public class JudgeStatusTests
{
    [Fact]
    public void Ids_and_descriptions_are_judge0s()
    {
        JudgeStatus.All.Select(s => (s.Id, s.Description)).Should().Equal(
            (1, "In Queue"), (2, "Processing"), (3, "Accepted"), (4, "Wrong Answer"), (5, "Time Limit Exceeded"),
            (6, "Compilation Error"), (7, "Runtime Error (SIGSEGV)"), (8, "Runtime Error (SIGXFSZ)"),
            (9, "Runtime Error (SIGFPE)"), (10, "Runtime Error (SIGABRT)"), (11, "Runtime Error (NZEC)"),
            (12, "Runtime Error (Other)"), (13, "Internal Error"), (14, "Exec Format Error"));
    }

    [Fact]
    public void Statuses_3_to_12_are_billable_and_13_14_are_not()
    {
        JudgeStatus.All.Where(s => s.IsBillable).Select(s => s.Id).Should().Equal(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        JudgeStatus.InternalError.IsBillable.Should().BeFalse();
        JudgeStatus.ExecFormatError.IsBillable.Should().BeFalse();
    }

    [Fact]
    public void FromId_rejects_unknown_ids()
    {
        JudgeStatus.FromId(11).Should().BeSameAs(JudgeStatus.RuntimeErrorNzec);
        FluentActions.Invoking(() => JudgeStatus.FromId(15)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
