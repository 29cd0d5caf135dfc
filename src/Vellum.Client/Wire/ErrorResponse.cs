namespace Vellum.Client.Wire;

/// <summary>ACL's error body, <c>{"error":{"code","message"}}</c>.</summary>
internal sealed record ErrorResponse(ErrorBody? Error);
