using CodeRunner.Reporting;

namespace CodeRunner.Tests.Sample;

public class OutputExcerptTests
{
    [Fact]
    public void Control_and_formatting_characters_are_escaped_and_lines_indented()
    {
        string printed = "ok\tdone\n\u001b[2J\u001b[31mred\u0007\n\u202eevil\r\n";

        OutputExcerpt.Render(printed, "  ").Should().Be("  ok\tdone\n  \\x1b[2J\\x1b[31mred\\x07\n  \\u202eevil\\x0d\n");
    }

    [Fact]
    public void Long_output_is_cut_and_says_how_much_was_left_out()
    {
        string rendered = OutputExcerpt.Render(new string('x', OutputExcerpt.MaxChars + 123), "");

        rendered.Should().StartWith(new string('x', OutputExcerpt.MaxChars)).And.EndWith("… (123 more characters)");
    }
}
