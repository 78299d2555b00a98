using System.Diagnostics;
using Stage.Tests.Shared;

namespace Stage.Cli.Tests;

public class SetupToolTests
{
    [Fact]
    public async Task Setup_is_idempotent_and_quiet_when_everything_is_present()
    {
        // The test run itself went through tools/setup, so a second run must find everything present.
        var start = new ProcessStartInfo("bash", [RepositoryPaths.Of("tools", "setup")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", await output + await error);
    }

    [Fact]
    public void Every_debian_package_setup_installs_is_present()
    {
        string[] packages = File.ReadAllLines(RepositoryPaths.Of("tools", "debian-packages.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.Contains("mesa-vulkan-drivers", packages);
        Assert.Contains("liblo-tools", packages);
        foreach (string package in packages)
        {
            var query = new ProcessStartInfo("dpkg-query", ["-W", "-f=${Status}", package]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using Process process = Process.Start(query)!;
            string status = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(status == "install ok installed", $"Debian package {package} is not installed: '{status}'");
        }
    }
}
