using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

public class ClientDisconnectTests
{
    [Theory]
    [InlineData("/app/transactions")]
    [InlineData("/app/transactions/batch")]
    public async Task AClientThatResetsItsConnectionMidBodyIsLoggedAsGoneNotAsAFailureAndWritesNothing(string path)
    {
        var log = new RecordingLoggerProvider();
        using var logging = log.Factory();
        await using var node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, LoggerFactory = logging });
        var ledger = node.Node.Node.Ledger;
        await node.Node.Node.Commits.WaitCommittedAsync(ledger.LastSeqno, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var lastSeqno = ledger.LastSeqno;

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, node.Node.Endpoint.Port);
            var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = new X509CertificateCollection { node.Admin },
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(node.ServiceCertificate, presented, errors),
            });
            // The node answers 100 Continue once the route starts reading the body: then the reset
            // lands in the middle of the read, not before the request is parsed.
            var head = $"POST {TestNode.App(path)} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(head));
            await tls.FlushAsync();
            var answer = new byte[64];
            var read = await tls.ReadAsync(answer);
            Assert.StartsWith("HTTP/1.1 100 Continue", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
            await tls.WriteAsync("{\"con"u8.ToArray());
            await tls.FlushAsync();

            // Closing the socket itself with a zero linger sends a reset, not an orderly close.
            tcp.Client.LingerState = new LingerOption(true, 0);
            tcp.Client.Close();
        }

        // Until Kestrel has closed the connection, after which nothing more is logged of it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!log.Lines.Any(line => line.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && line.Message.EndsWith("\" stopped.", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var warnings = string.Join(" | ", log.Lines.Where(line => line.Level >= LogLevel.Warning).Select(line => $"{line.Category}: {line.Message}"));
        Assert.True(warnings.Length == 0, warnings);
        Assert.Contains(log.Lines, line => line.Level == LogLevel.Debug && line.Message.Contains($"POST {path}: the client went away", StringComparison.Ordinal));
        Assert.Equal(lastSeqno, ledger.LastSeqno);
    }
}
