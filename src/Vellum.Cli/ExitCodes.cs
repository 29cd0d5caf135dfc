namespace Vellum.Cli;

/// <summary>
/// The exit codes every <c>vellum</c> command returns, so that scripts can tell a failed check
/// from a mistyped command line without parsing the output.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked; for a check, the input passed it.</summary>
    public const int Success = 0;

    /// <summary>A check failed, or an input (a file, a certificate, a receipt) could not be used.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown command or option, or a required option is missing.</summary>
    public const int Usage = 2;

    /// <summary>The sentence that command help ends with, so every command documents the same codes.</summary>
    public const string HelpText = "Exit codes: 0 success; 1 check failed or input unusable; 2 usage error.";
}
