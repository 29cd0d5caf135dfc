namespace Vellum.Node.Api;

/// <summary>The error codes the node returns; docs/api.md lists where each occurs.</summary>
internal static class ErrorCodes
{
    public const string InvalidApiVersion = "InvalidApiVersion";
    public const string MissingApiVersion = "MissingApiVersion";
    public const string InvalidRequestBody = "InvalidRequestBody";
    public const string RequestBodyTooLarge = "RequestBodyTooLarge";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string InvalidCollectionId = "InvalidCollectionId";
    public const string InvalidTags = "InvalidTags";
    public const string InvalidQueryParameter = "InvalidQueryParameter";
    public const string InvalidTransactionId = "InvalidTransactionId";
    public const string EntryNotFound = "EntryNotFound";
    public const string UncommittedLedgerEntry = "UncommittedLedgerEntry";
    public const string TransactionInvalid = "TransactionInvalid";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string NotFound = "NotFound";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string InternalError = "InternalError";
    public const string BadRequest = "BadRequest";
    public const string InvalidNodeId = "InvalidNodeId";
    public const string NodeNotFound = "NodeNotFound";
    public const string LastVoter = "LastVoter";
    public const string NodeRetired = "NodeRetired";
    public const string ServiceNotOpen = "ServiceNotOpen";
    public const string ChunkNotFound = "ChunkNotFound";
    public const string AlreadyRecovered = "AlreadyRecovered";
    public const string ChunkNotCommitted = "ChunkNotCommitted";
    public const string InvalidRange = "InvalidRange";
    public const string PreconditionFailed = "PreconditionFailed";
    public const string TreeHeadNotFound = "TreeHeadNotFound";
    public const string TreeHeadNotCommitted = "TreeHeadNotCommitted";
}
