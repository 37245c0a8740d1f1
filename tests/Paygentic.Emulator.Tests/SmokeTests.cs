namespace Paygentic.Emulator.Tests.Placeholder;

public class SmokeTests
{
    [Fact]
    public void Builds() => (1 + 1).Should().Be(2);
}
