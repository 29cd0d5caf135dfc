namespace Vellum.Cli.Tests.Support;

/// <summary>The dotnet host running the tests, so that the program runs on the same runtime.</summary>
internal static class DotnetHost
{
    public static string Path
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var current = Environment.ProcessPath;
            return current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }

    /// <summary>The built program: the project reference copies vellum.dll and its runtimeconfig next to the test assembly.</summary>
    public static string Program
    {
        get
        {
            var program = System.IO.Path.Combine(AppContext.BaseDirectory, "vellum.dll");
            Assert.True(File.Exists(program), $"{program} was not built next to the tests.");
            return program;
        }
    }
}
