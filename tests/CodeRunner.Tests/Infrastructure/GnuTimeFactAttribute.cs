namespace CodeRunner.Tests.Infrastructure;

/// <summary>A fact for the GNU time fallback meter: skipped when /usr/bin/time, Python or Bash is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GnuTimeFactAttribute : FactAttribute
{
    public GnuTimeFactAttribute()
    {
        var languages = TestSandbox.Environment.Languages;
        if (!File.Exists("/usr/bin/time"))
        {
            Skip = "GNU time (/usr/bin/time) is not installed, so the fallback meter cannot be tested.";
        }
        else if (!languages.IsAvailable(Judge0Languages.Python) || !languages.IsAvailable(Judge0Languages.Bash))
        {
            Skip = "Python 3 and Bash are needed: " + string.Join("; ", languages.Unavailable);
        }
    }
}
