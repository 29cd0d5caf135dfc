namespace Vellum.Simulator;

/// <summary>A checker found a run breaking a property consensus promises.</summary>
public sealed class CheckFailedException : Exception
{
    /// <summary>Creates the failure of <paramref name="checker"/>, described by <paramref name="message"/>.</summary>
    public CheckFailedException(string checker, string message)
        : base(message)
    {
        Checker = checker;
    }

    /// <summary>The name of the property that failed, such as "one-leader-per-term".</summary>
    public string Checker { get; }
}
