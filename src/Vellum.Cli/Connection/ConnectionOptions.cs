using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Vellum.Cli.Commands;
using Vellum.Client;

namespace Vellum.Cli.Connection;

/// <summary>
/// The connection options of the commands that call a ledger through the SDK: the node
/// (<c>--target</c>), the identity to pin (<c>--service-cert</c>), the caller (<c>--cert</c> and
/// <c>--key</c>, or <c>--token-file</c>), and a profile that supplies what the flags leave out.
/// </summary>
internal sealed class ConnectionOptions
{
    private const long MaxPemBytes = 1024 * 1024;
    private const long MaxTokenBytes = 64 * 1024;

    /// <summary>Creates the options, each with its help text.</summary>
    public ConnectionOptions()
    {
        Target = new Option<string>("--target") { Description = "Any node of the ledger, as HOST:PORT or https://HOST:PORT; a backup redirects writes to the primary.", HelpName = "HOST:PORT" };
        ServiceCert = new Option<string>("--service-cert") { Description = "The ledger's service certificate (PEM, or the identity endpoint's JSON), pinned: each node's TLS chain must end at it.", HelpName = "PEM" };
        Cert = new Option<string>("--cert") { Description = "The caller's certificate (PEM); with --key.", HelpName = "PEM" };
        Key = new Option<string>("--key") { Description = "The private key of --cert (PEM).", HelpName = "PEM" };
        TokenFile = new Option<string>("--token-file") { Description = "A file holding a bearer token to call with instead of a certificate; read before every request, so it may be refreshed meanwhile.", HelpName = "FILE" };
        Profile = new Option<string>("--profile") { Description = "A profile from the profile file supplying what these flags leave out (flags win); without it, the file's default profile if it has one.", HelpName = "NAME" };
        ProfileFilePath = new Option<string>("--profile-file") { Description = $"The profile file (default: ${ProfileFile.EnvironmentVariable}, else ~/.vellum/profiles.json).", HelpName = "FILE" };
    }

    public Option<string> Target { get; }

    public Option<string> ServiceCert { get; }

    public Option<string> Cert { get; }

    public Option<string> Key { get; }

    public Option<string> TokenFile { get; }

    public Option<string> Profile { get; }

    public Option<string> ProfileFilePath { get; }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Target, ServiceCert, Cert, Key, TokenFile, Profile, ProfileFilePath })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Makes a client from the flags and the profile and runs <paramref name="run"/> with it. A wrong
    /// command line exits 2, an unusable file or a refused or failed request exits 1, each with one line on standard error.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parseResult, Func<LedgerClient, TextWriter, TextWriter, Task<int>> run)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        if (!TryCreateClient(parseResult, out var client, out var certificate, out var exitCode, out var problem))
        {
            error.WriteLine($"error: {problem}");
            return exitCode;
        }

        using (certificate)
        using (client)
        {
            try
            {
                return await run(client, output, error);
            }
            catch (LedgerRequestException exception)
            {
                error.WriteLine($"error: {Describe(exception, client.Endpoint)}");
                return ExitCodes.Failure;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A file the command writes (receipt --out) could not be written.
                error.WriteLine($"error: {exception.Message}");
                return ExitCodes.Failure;
            }
        }
    }

    /// <summary>One line for a refused or failed request: the ledger's code and message, or why no answer came.</summary>
    public static string Describe(LedgerRequestException exception, Uri endpoint) => exception.Status == 0
        ? $"no answer from {endpoint.Authority}: {exception.ErrorCode}: {exception.ErrorMessage}"
        : $"{endpoint.Authority} answered {exception.Status} {exception.ErrorCode}: {exception.ErrorMessage}";

    private bool TryCreateClient(
        ParseResult parseResult,
        [NotNullWhen(true)] out LedgerClient? client,
        out X509Certificate2? certificate,
        out int exitCode,
        [NotNullWhen(false)] out string? problem)
    {
        client = null;
        certificate = null;
        exitCode = ExitCodes.Usage;
        if (!TryResolve(parseResult, out var settings, out exitCode, out problem))
        {
            return false;
        }

        if (!LedgerTarget.TryParse(settings.Target!, out var endpoint))
        {
            problem = $"the target must be HOST:PORT or https://HOST:PORT, not \"{settings.Target}\"";
            return false;
        }

        exitCode = ExitCodes.Failure;
        if (!InputFile.TryReadText(settings.ServiceCert!, "service certificate", MaxPemBytes, out var serviceText, out problem)
            || !ServiceCertificateText.TryRead(serviceText, out var servicePem, out problem))
        {
            return false;
        }

        LedgerCredential credential;
        if (settings.TokenFile is { } tokenFile)
        {
            if (!TryReadToken(tokenFile, out _, out problem))
            {
                return false;
            }

            credential = LedgerCredential.FromToken(_ => TryReadToken(tokenFile, out var token, out var tokenProblem)
                ? ValueTask.FromResult(token)
                : ValueTask.FromException<string>(new LedgerRequestException(0, "TokenUnreadable", tokenProblem)));
        }
        else
        {
            if (!NodeApiOptions.TryLoadCaller(settings.Cert!, settings.Key!, out certificate, out problem))
            {
                return false;
            }

            credential = LedgerCredential.FromCertificate(certificate);
        }

        client = new LedgerClient(endpoint, LedgerIdentity.FromPem(servicePem), credential);
        return true;
    }

    // The flags, with what they leave out taken from the profile; the caller comes whole from one
    // place, so that a flag's certificate is never paired with a profile's key.
    private bool TryResolve(ParseResult parseResult, [NotNullWhen(true)] out ConnectionProfile? settings, out int exitCode, [NotNullWhen(false)] out string? problem)
    {
        settings = null;
        exitCode = ExitCodes.Usage;
        var flags = new ConnectionProfile(
            parseResult.GetValue(Target), parseResult.GetValue(ServiceCert), parseResult.GetValue(Cert), parseResult.GetValue(Key), parseResult.GetValue(TokenFile));
        if (!TryLoadProfile(parseResult, out var profile, out exitCode, out problem))
        {
            return false;
        }

        var caller = flags.HasCredential ? flags : profile;
        settings = new ConnectionProfile(flags.Target ?? profile.Target, flags.ServiceCert ?? profile.ServiceCert, caller.Cert, caller.Key, caller.TokenFile);
        exitCode = ExitCodes.Usage;
        problem = settings switch
        {
            { Target: null } => "no --target given, and no profile names one",
            { ServiceCert: null } => "no --service-cert given, and no profile names one",
            { TokenFile: not null, Cert: not null } or { TokenFile: not null, Key: not null } => "call with a certificate (--cert and --key) or a token (--token-file), not both",
            { TokenFile: null, Cert: null, Key: null } => "no caller: give --cert and --key, or --token-file, or a profile that has them",
            { TokenFile: null } when (settings.Cert is null) != (settings.Key is null) => "--cert and --key go together",
            _ => null,
        };
        return problem is null;
    }

    private bool TryLoadProfile(ParseResult parseResult, out ConnectionProfile profile, out int exitCode, [NotNullWhen(false)] out string? problem)
    {
        profile = ConnectionProfile.Empty;
        exitCode = ExitCodes.Failure;
        var path = ProfileFile.ResolvePath(parseResult.GetValue(ProfileFilePath));
        var name = parseResult.GetValue(Profile);
        if (!ProfileFile.TryLoad(path, out var file, out problem))
        {
            return false;
        }

        name ??= file.Default;
        if (name is null)
        {
            return true;
        }

        exitCode = ExitCodes.Usage;
        if (file.Find(name) is not { } found)
        {
            problem = $"no profile \"{name}\" in {path}";
            return false;
        }

        profile = found;
        return true;
    }

    private static bool TryReadToken(string path, [NotNullWhen(true)] out string? token, [NotNullWhen(false)] out string? problem)
    {
        token = null;
        if (!InputFile.TryReadText(path, "token", MaxTokenBytes, out var text, out problem))
        {
            return false;
        }

        token = text.Trim();
        if (token.Length == 0)
        {
            problem = $"the token file \"{path}\" is empty";
            return false;
        }

        return true;
    }
}
