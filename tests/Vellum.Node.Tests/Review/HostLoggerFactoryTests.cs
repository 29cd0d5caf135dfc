using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// The HTTPS host gets the node's loggers except ASP.NET Core's per-request hosting diagnostics:
/// while that category can log, the host starts an activity and a logging scope for every request.
/// </summary>
public class HostLoggerFactoryTests
{
    [Fact]
    public void TheRequestDiagnosticsCategoryGetsALoggerThatLogsNothingEvenWhenTheNodeLogsEverything()
    {
        using var inner = LoggerFactory.Create(builder => builder.AddFilter(_ => true).AddProvider(new CountingProvider()));
        using var factory = new HostLoggerFactory(inner);

        var logger = factory.CreateLogger(HostLoggerFactory.RequestDiagnosticsCategory);

        Assert.False(logger.IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void EveryOtherCategoryLogsThroughTheNodesFactory()
    {
        var provider = new CountingProvider();
        using var inner = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning).AddProvider(provider));
        using var factory = new HostLoggerFactory(inner);

        var logger = factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel");
        logger.LogError("an application error");
        logger.LogInformation("below the node's level");

        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.Equal(1, provider.Logged);
    }

    [Fact]
    public void TheNodesHttpsHostGivesTheRequestDiagnosticsCategoryNoLoggerWhileTheNodeLogsOtherCategories()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=host", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var logging = LoggerFactory.Create(builder => builder.AddFilter(_ => true).AddProvider(new CountingProvider()));
        var options = new NodeOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), LoggerFactory = logging };

        using var host = ApiHost.CreateBuilder(options, certificate, certificate).Build();
        var factory = host.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger(HostLoggerFactory.RequestDiagnosticsCategory).IsEnabled(LogLevel.Critical));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
    }

    private sealed class CountingProvider : ILoggerProvider
    {
        private int _logged;

        public int Logged => Volatile.Read(ref _logged);

        public ILogger CreateLogger(string categoryName) => new CountingLogger(this);

        public void Dispose()
        {
        }

        private sealed class CountingLogger(CountingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => Interlocked.Increment(ref owner._logged);
        }
    }
}
