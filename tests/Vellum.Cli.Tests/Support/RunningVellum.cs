using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Vellum.Cli.Tests.Support;

/// <summary>
/// <c>vellum start</c> as a real process: its output is collected line by line, a test waits for
/// a given line (never for a fixed time), and sends it real signals.
/// </summary>
internal sealed class RunningVellum : IDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _awaited = [];
    private readonly Task _outputDone;
    private readonly Task _errorDone;
    private int _disposed;

    private RunningVellum(Process process)
    {
        _process = process;
        _outputDone = PumpAsync(process.StandardOutput, _output, watch: true);
        _errorDone = PumpAsync(process.StandardError, _error, watch: false);
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    public static RunningVellum Start(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(DotnetHost.Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new RunningVellum(Process.Start(start)!);
    }

    /// <summary>Completes with the first output line containing <paramref name="text"/>; fails if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(string text)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _output.ToString().Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
            if (existing is not null)
            {
                return existing;
            }

            _awaited.Add((text, seen));
        }

        Task finished;
        try
        {
            finished = await Task.WhenAny(seen.Task, _outputDone).WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"vellum did not print \"{text}\" within {Timeout}.\nstdout:\n{Output}\nstderr:\n{Error}");
            throw;
        }

        Assert.True(finished == seen.Task, $"vellum exited before printing \"{text}\".\nstdout:\n{Output}\nstderr:\n{Error}");
        return await seen.Task;
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Timeout);
        await Task.WhenAll(_outputDone, _errorDone);
        return _process.ExitCode;
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder into, bool watch)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            List<TaskCompletionSource<string>> matched = [];
            lock (_gate)
            {
                into.Append(line).Append('\n');
                if (watch)
                {
                    matched.AddRange(_awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).Select(a => a.Seen));
                    _awaited.RemoveAll(a => line.Contains(a.Text, StringComparison.Ordinal));
                }
            }

            foreach (var seen in matched)
            {
                seen.TrySetResult(line);
            }
        }
    }

    public void Dispose()
    {
        // Idempotent: a test's cleanup may dispose what a failed step already disposed, and must
        // not hide that step's failure behind its own.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
