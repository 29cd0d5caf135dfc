using System.Security.Cryptography.X509Certificates;
using Vellum.Consensus;

namespace Vellum.Node.Tests.Replication;

/// <summary>A node as the transport sees it: its name, its id and its certificate with the private key.</summary>
internal sealed record TestPeer(string Name, NodeId Id, X509Certificate2 Certificate);
