using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CodeRunner.Server.Tests;

/// <summary>
/// The page at <c>/</c> in a real browser: Debian's chromium driven by Playwright (never a downloaded browser). A user
/// signs up, pays the emulator's checkout, runs code, sees the verdict, output and charge, and opens the portal.
/// </summary>
public sealed class PageTests(TestServer server) : IClassFixture<TestServer>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_user_signs_up_pays_runs_code_and_opens_the_portal()
    {
        File.Exists(Chromium).Should().BeTrue("Debian's chromium is a prerequisite (.ci/run installs it)");
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-extensions", "--no-first-run"],
        });
        IPage page = await browser.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(server.Url.ToString());

        await page.FillAsync("#name", "Page User");
        await page.FillAsync("#email", "page-user@example.com");
        await page.ClickAsync("#signup");
        await Assertions.Expect(page.Locator("#new-token")).ToHaveTextAsync(new Regex("^crk_[0-9a-f]{64}$"));
        await Assertions.Expect(page.Locator("#account-line")).ToContainTextAsync("pending_payment");

        // The checkout opens in a new tab, as a person would pay it.
        IPage checkout = await page.Context.RunAndWaitForPageAsync(() => page.ClickAsync("#checkout-link"));
        await checkout.ClickAsync("button[type=submit]");
        await Assertions.Expect(checkout.Locator("body")).ToContainTextAsync("Payment received");
        await checkout.CloseAsync();

        await page.SelectOptionAsync("#language", "71");
        await page.FillAsync("#source", "print(input() * 2)");
        await page.FillAsync("#stdin", "ab");
        await page.ClickAsync("#run");
        await Assertions.Expect(page.Locator("#verdict")).ToHaveTextAsync("Accepted");
        await Assertions.Expect(page.Locator("#stdout")).ToHaveTextAsync("abab\n");
        await Assertions.Expect(page.Locator("#charge")).ToHaveTextAsync(new Regex(@"^\$0\.01\d*$"));
        await Assertions.Expect(page.Locator("#account-line")).ToContainTextAsync("active");

        if (Environment.GetEnvironmentVariable("CODERUNNER_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true }); // the README's picture
        }

        await page.ClickAsync("#portal");
        await page.WaitForURLAsync(url => new Uri(url).Port == server.Host.Backend.BaseUrl.Port);
        (await page.TitleAsync()).Should().NotBeNullOrEmpty();
    }
}
