namespace Vellum.Client.Tests.Support;

/// <summary>Files of the repository the tests run from, such as the checked-in API listing and the docs.</summary>
internal static class Repository
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Vellum.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No Vellum.slnx above {AppContext.BaseDirectory}.");
    }
}
