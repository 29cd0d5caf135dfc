namespace Vellum.Storage.Files;

/// <summary>Thrown by <see cref="SimulatedFileSystem"/> when the simulated machine loses power.</summary>
public sealed class PowerLossException : IOException
{
    /// <summary>Creates the exception.</summary>
    public PowerLossException()
        : base("The simulated machine lost power.")
    {
    }
}
