using System.CommandLine;
using System.Security.Cryptography;
using Vellum.Core.Identity;

namespace Vellum.Cli.Commands;

/// <summary>
/// Names a user on the command line: by id (<c>USER-ID</c>: a certificate's SHA-256 fingerprint,
/// or a token's object id), or by certificate (<c>--user-cert PEM</c>), whose fingerprint is its id.
/// </summary>
internal sealed class UserIdSyntax
{
    private const long MaxPemBytes = 1024 * 1024;

    public UserIdSyntax()
    {
        Id = new Argument<string?>("USER-ID") { Description = "The user's id: its certificate's SHA-256 fingerprint (hex), or its token's object id.", Arity = ArgumentArity.ZeroOrOne };
        Cert = new Option<string>("--user-cert") { Description = "Name the user by its certificate (PEM) instead of its id.", HelpName = "PEM" };
    }

    public Argument<string?> Id { get; }

    public Option<string> Cert { get; }

    /// <summary>Adds the argument and the option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Id);
        command.Options.Add(Cert);
    }

    /// <summary>The user id given, or null after printing why there is none (and setting the exit code).</summary>
    public string? Resolve(ParseResult parseResult, TextWriter error, out int exitCode)
    {
        var id = parseResult.GetValue(Id);
        var certPath = parseResult.GetValue(Cert);
        exitCode = ExitCodes.Usage;
        if ((id is null) == (certPath is null))
        {
            error.WriteLine("error: name the user by its id or by --user-cert, one of the two");
            return null;
        }

        if (id is not null)
        {
            return id;
        }

        exitCode = ExitCodes.Failure;
        if (!InputFile.TryReadText(certPath!, "user certificate", MaxPemBytes, out var pem, out var problem))
        {
            error.WriteLine($"error: {problem}");
            return null;
        }

        try
        {
            using var certificate = Pem.ReadCertificate(pem);
            return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            error.WriteLine($"error: the user certificate \"{certPath}\" is not a PEM X.509 certificate: {exception.Message}");
            return null;
        }
    }
}
