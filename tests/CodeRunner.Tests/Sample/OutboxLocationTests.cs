using CodeRunner.Hosting;

namespace CodeRunner.Tests.Sample;

/// <summary>The per-run temporary outbox directory goes away on every exit path.</summary>
public sealed class OutboxLocationTests
{
    [Fact]
    public void A_temporary_outbox_is_removed_when_the_run_ends_normally()
    {
        string directory;
        using (var outbox = OutboxLocation.For(null, "t1"))
        {
            directory = Path.GetDirectoryName(outbox.Path)!;
            File.WriteAllText(outbox.Path, "x");
            outbox.IsTemporary.Should().BeTrue();
        }

        Directory.Exists(directory).Should().BeFalse();
    }

    [Fact]
    public void A_temporary_outbox_is_removed_when_the_run_throws()
    {
        string? directory = null;
        var act = () =>
        {
            using var outbox = OutboxLocation.For(null, "t2");
            directory = Path.GetDirectoryName(outbox.Path)!;
            throw new InvalidOperationException("onboarding failed");
        };

        act.Should().Throw<InvalidOperationException>();
        Directory.Exists(directory).Should().BeFalse();
    }

    [Fact]
    public void A_given_outbox_is_never_removed()
    {
        string directory = Directory.CreateTempSubdirectory("coderunner-given-").FullName;
        try
        {
            using (var outbox = OutboxLocation.For(Path.Combine(directory, "mine.db"), "t3"))
            {
                outbox.IsTemporary.Should().BeFalse();
            }

            Directory.Exists(directory).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
