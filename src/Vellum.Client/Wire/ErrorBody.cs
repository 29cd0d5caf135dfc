namespace Vellum.Client.Wire;

/// <summary>The inner object of ACL's error body.</summary>
internal sealed record ErrorBody(string? Code, string? Message);
