using System.Diagnostics;

namespace Vellum.Node.Tests.Compatibility;

/// <summary>What a finished script printed, and how it exited.</summary>
internal sealed record NodeScriptOutput(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a JavaScript file with the real <c>node</c> executable as a child process, bounded in time.</summary>
internal static class NodeScript
{
    // Variables that would weaken TLS verification or send loopback traffic elsewhere: the test
    // must prove the client verifies the node on its own, so none is inherited.
    private static readonly string[] RemovedVariables =
    [
        "NODE_TLS_REJECT_UNAUTHORIZED", "NODE_OPTIONS", "NODE_EXTRA_CA_CERTS",
        "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
    ];

    public static async Task<NodeScriptOutput> RunAsync(string scriptPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(CompatJs.NodeExecutable ?? throw new InvalidOperationException(CompatJs.MissingReason))
        {
            WorkingDirectory = Path.GetDirectoryName(scriptPath),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(scriptPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in RemovedVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{Path.GetFileName(scriptPath)} did not finish within {timeout}; it printed:\n{await standardOutput}\n{await standardError}");
        }

        return new NodeScriptOutput(process.ExitCode, await standardOutput, await standardError);
    }
}
