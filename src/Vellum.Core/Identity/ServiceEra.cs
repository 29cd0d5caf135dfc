namespace Vellum.Core.Identity;

/// <summary>One service identity of a ledger and the seqnos its nodes signed.</summary>
/// <param name="IdentityId">The SHA-256 of the service certificate's DER, lowercase hex.</param>
/// <param name="CertificatePem">The service certificate, PEM.</param>
/// <param name="FirstSeqno">The first seqno its nodes may sign.</param>
/// <param name="LastSeqno">The last seqno its nodes may sign; <see cref="long.MaxValue"/> for the current service.</param>
public sealed record ServiceEra(string IdentityId, string CertificatePem, long FirstSeqno, long LastSeqno);
