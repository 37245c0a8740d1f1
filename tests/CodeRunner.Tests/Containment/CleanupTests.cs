using System.Diagnostics;
using CodeRunner.Sandbox.Internal;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Containment;

public class CleanupTests
{
    [SandboxFact(RequiresRoot = true)]
    public async Task A_job_directory_that_cannot_be_removed_is_reported_not_thrown()
    {
        string workRoot = Directory.CreateTempSubdirectory("coderunner-tests-").FullName;
        JobDirectory job = JobDirectory.Create(workRoot, sandboxUid: null);
        string mountPoint = Directory.CreateDirectory(Path.Combine(job.Box, "mnt")).FullName;
        Run("mount", "-t", "tmpfs", "tmpfs", mountPoint);
        try
        {
            // rm --one-file-system will not cross into another file system: the job directory stays.
            string? failure = await job.RemoveAsync();

            failure.Should().Contain("could not remove").And.Contain(job.Root);
            Directory.Exists(job.Root).Should().BeTrue();
        }
        finally
        {
            Run("umount", mountPoint);
            (await job.RemoveAsync()).Should().BeNull("once the obstacle is gone the directory goes");
            Directory.Delete(workRoot, recursive: true);
        }
    }

    private static void Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { UseShellExecute = false })!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{tool} {string.Join(' ', args)}");
    }
}
