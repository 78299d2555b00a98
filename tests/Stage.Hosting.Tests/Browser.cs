using Microsoft.Playwright;

namespace Stage.Hosting.Tests;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>, installed by tools/setup) driven by Playwright: Playwright's own browser
/// download is never used (and cannot be reached from the build machines).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where Debian installs chromium.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>The browser, headless.</summary>
    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: tools/setup installs Debian's chromium (tools/debian-packages.txt)");
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page (its own context: no token, no storage) of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public async Task<IPage> OpenAsync(Uri url, int width = 1440, int height = 900)
    {
        IBrowserContext context = await Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.CloseAsync();
        _playwright?.Dispose();
    }
}
