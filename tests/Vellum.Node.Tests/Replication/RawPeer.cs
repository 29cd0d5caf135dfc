using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

/// <summary>
/// A hand-driven TLS client for a transport's listener: it can present any certificate, speak
/// any TLS version, and send any hello and any frames, which a real transport never would.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpClient _client;

    private RawPeer(TcpClient client, SslStream stream)
    {
        _client = client;
        Stream = stream;
    }

    public SslStream Stream { get; }

    public static async Task<RawPeer> ConnectAsync(
        IPEndPoint endpoint,
        X509Certificate2? certificate,
        SslProtocols protocols = SslProtocols.Tls13,
        bool offerProtocolName = true)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endpoint).WaitAsync(TransportHarness.Patience);
        var stream = new SslStream(client.GetStream());
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificateContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, null, offline: true),
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            ApplicationProtocols = offerProtocolName ? [PeerTls.ApplicationProtocol] : null,
        };
        try
        {
            await stream.AuthenticateAsClientAsync(options).WaitAsync(TransportHarness.Patience);
        }
        catch
        {
            await stream.DisposeAsync();
            client.Dispose();
            throw;
        }

        return new RawPeer(client, stream);
    }

    public Task SendHelloAsync(NodeId from, NodeId to)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RaftMessageCodec.EncodeHello(new PeerHello(from, to), buffer);
        return SendBytesAsync(buffer.WrittenMemory.ToArray());
    }

    /// <summary>Reads the hello a transport sends back once it has accepted the caller.</summary>
    public async Task<PeerHello> ReadHelloAsync()
    {
        var prefix = new byte[RaftMessageCodec.LengthPrefixBytes];
        await Stream.ReadExactlyAsync(prefix).AsTask().WaitAsync(TransportHarness.Patience);
        var frame = new byte[RaftMessageCodec.ReadFrameLength(prefix)];
        prefix.CopyTo(frame, 0);
        await Stream.ReadExactlyAsync(frame.AsMemory(prefix.Length)).AsTask().WaitAsync(TransportHarness.Patience);
        return RaftMessageCodec.DecodeHello(frame, frame.Length);
    }

    public Task SendAsync(params RaftMessage[] messages) =>
        SendBytesAsync(messages.SelectMany(RaftMessageCodecTests.Encode).ToArray());

    public async Task SendBytesAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes).AsTask().WaitAsync(TransportHarness.Patience);
        await Stream.FlushAsync().WaitAsync(TransportHarness.Patience);
    }

    /// <summary>Sends, ignoring a failure: the other side may already have closed a connection it refused.</summary>
    public async Task TrySendHelloAsync(NodeId from, NodeId to)
    {
        try
        {
            await SendHelloAsync(from, to);
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            // Refused already; the test checks the refusal itself.
        }
    }

    /// <summary>Waits until the other side closes the connection; a transport never writes on an inbound one.</summary>
    public async Task AssertClosedByOtherSideAsync()
    {
        try
        {
            var read = await Stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TransportHarness.Patience);
            Assert.Equal(0, read);
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            // A reset or a TLS alert closes it as surely as an end of stream.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _client.Dispose();
    }
}
