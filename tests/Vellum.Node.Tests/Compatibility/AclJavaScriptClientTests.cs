using System.Text.Json;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Compatibility;

/// <summary>
/// ACL's official JavaScript client, <c>@azure-rest/confidential-ledger</c> 1.0.0 from npm, drives a
/// live node through <c>tests/compat-js/acl-client.mjs</c> (one run per class, see
/// <see cref="JavaScriptClientRun"/>); each test checks one part of what the script reported.
/// </summary>
public class AclJavaScriptClientTests(JavaScriptClientRun run) : IClassFixture<JavaScriptClientRun>
{
    // The calls whose package verdict is not "expected", each for a stated reason.
    private static readonly Dictionary<string, string> FlaggedCalls = new()
    {
        // isUnexpected() 1.0.0 ignores the method on templated paths and takes DELETE's ["204"]
        // for every /app/users/{userId}: a bug of the client that flags real ACL's 200 alike.
        ["patchUser"] = "200",
        ["getUser"] = "200",
        // Deliberate failures: a user that does not exist yet, or any more.
        ["readAsUserBeforeAdd"] = "403",
        ["getUserAfterDelete"] = "404",
        ["readAsUserAfterDelete"] = "403",
    };

    [JavaScriptClientFact]
    public void ScriptRunsEveryStepAndExitsCleanly()
    {
        Assert.True(run.ExitCode == 0 && run.Result.GetProperty("ok").GetBoolean(), run.Outcome);
        Assert.Equal("done", run.Result.GetProperty("step").GetString());
    }

    [JavaScriptClientFact]
    public void IdentityFetchedFromTheNodeIsItsServiceCertificateAndPinnedTlsRefusesOtherCasAndHosts()
    {
        var identity = run.Section("identity");
        Assert.Equal(run.LedgerName, identity.GetProperty("ledgerId").GetString());
        Assert.Equal(run.ServiceCertificateFingerprint, identity.GetProperty("certificateFingerprint").GetString());

        // Node's own verification, not a check of ours: the chain must end at the pinned
        // certificate, and the host name must be in the node certificate.
        var pinning = run.Section("pinning");
        Assert.Contains(pinning.GetProperty("otherCaError").GetString(), new[] { "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN" });
        Assert.Equal("ERR_TLS_CERT_ALTNAME_INVALID", pinning.GetProperty("otherHostError").GetString());
    }

    [JavaScriptClientFact]
    public void EntryPostedToACollectionCommitsAndReadsBackAsTheEntryAndAsCurrent()
    {
        var write = run.Section("write");
        var id = write.GetProperty("transactionId").GetString()!;
        var contents = write.GetProperty("contents").GetString()!;
        Assert.Matches(@"^\d+\.\d+$", id);
        Assert.Equal("compat-js", write.GetProperty("postedCollectionId").GetString());
        Assert.Equal("Committed", Strings(write.GetProperty("statusStates"))[^1]);
        Assert.All(Strings(write.GetProperty("statusStates"))[..^1], state => Assert.Equal("Pending", state));

        Assert.Equal("Ready", write.GetProperty("entryState").GetString());
        AssertEntry(write.GetProperty("entry"), id, contents, "compat-js");
        AssertEntry(write.GetProperty("current"), id, contents, "compat-js");
    }

    [JavaScriptClientFact]
    public void ReceiptFetchedByTheJavaScriptClientVerifiesWithOurVerifierAndCarriesItsEntry()
    {
        var write = run.Section("write");
        Assert.Equal("Ready", write.GetProperty("receiptState").GetString());
        Assert.Equal(write.GetProperty("transactionId").GetString(), write.GetProperty("receiptTransactionId").GetString());

        var json = run.ReceiptBody;
        var result = ReceiptVerifier.VerifyJson(json, run.ServiceCertificatePem);
        Assert.True(result.IsValid, result.ToString());
        var claim = Assert.IsType<LedgerEntryClaim>(Assert.Single(ReceiptJson.ParseTransactionReceipt(json).ApplicationClaims));
        Assert.Equal(write.GetProperty("contents").GetString(), claim.Contents);
        Assert.Equal("compat-js", claim.CollectionId);
    }

    [JavaScriptClientFact]
    public void PaginateFollowsNextLinkWithItsRepeatedApiVersionAndDeliversEveryEntryOnceInOrder()
    {
        var paging = run.Section("paging");
        var posted = paging.GetProperty("posted").EnumerateArray().ToList();
        var received = paging.GetProperty("received").EnumerateArray().ToList();
        Assert.Equal(JavaScriptClientRun.PagedEntries, posted.Count);
        Assert.Equal(
            posted.Select(entry => (entry.GetProperty("transactionId").GetString(), entry.GetProperty("contents").GetString())),
            received.Select(entry => (entry.GetProperty("transactionId").GetString(), entry.GetProperty("contents").GetString())));
        Assert.All(received, entry => Assert.Equal("compat-js-paged", entry.GetProperty("collectionId").GetString()));
        Assert.Equal(Enumerable.Range(0, JavaScriptClientRun.PagedEntries).Select(i => $"paged entry {i:D2}"), received.Select(entry => entry.GetProperty("contents").GetString()));

        Assert.Equal([7, 7, 7, 4], paging.GetProperty("pageSizes").EnumerateArray().Select(size => size.GetInt32()));
        var urls = Strings(paging.GetProperty("listUrls"));
        Assert.Equal(4, urls.Count);
        Assert.Equal(1, ApiVersionCount(urls[0]));
        Assert.All(urls.Skip(1), url => Assert.Equal(2, ApiVersionCount(url)));
    }

    [JavaScriptClientFact]
    public void UserPatchedByColonFingerprintIsEchoedInThatFormCanReadAndIsDeleted()
    {
        var users = run.Section("users");
        var userId = TestCertificates.ColonFingerprint(run.NewUser);
        Assert.Equal(userId, users.GetProperty("userId").GetString());
        Assert.Equal(403, users.GetProperty("statusBeforeAdd").GetInt32());
        foreach (var body in new[] { users.GetProperty("patched"), users.GetProperty("fetched") })
        {
            Assert.Equal(userId, body.GetProperty("userId").GetString());
            Assert.Equal("Reader", body.GetProperty("assignedRole").GetString());
        }

        Assert.Equal(200, users.GetProperty("readStatusAsUser").GetInt32());
        Assert.Equal(204, users.GetProperty("deleteStatus").GetInt32());
        Assert.Equal(404, users.GetProperty("statusAfterDelete").GetInt32());
        Assert.Equal("UserNotFound", users.GetProperty("errorCodeAfterDelete").GetString());
        Assert.Equal(403, users.GetProperty("readStatusAsUserAfterDelete").GetInt32());
    }

    [JavaScriptClientFact]
    public void ConstitutionMembersAndEnclaveQuotesAreServed()
    {
        var governance = run.Section("governance");
        Assert.Matches("^[0-9a-f]{64}$", governance.GetProperty("constitutionDigest").GetString());
        Assert.True(governance.GetProperty("constitutionHasScript").GetBoolean());
        Assert.Equal(JsonValueKind.Array, governance.GetProperty("members").ValueKind);
        var nodeId = governance.GetProperty("currentNodeId").GetString()!;
        Assert.Equal([nodeId], Strings(governance.GetProperty("quoteNodeIds")));
    }

    [JavaScriptClientFact]
    public void ThePackagesIsUnexpectedPassesEveryCallButItsMisjudgedUserRoutesAndDeliberateFailures()
    {
        var calls = run.Result.GetProperty("calls").EnumerateArray().ToList();
        var names = calls.Select(call => call.GetProperty("name").GetString()!).ToHashSet();
        string[] expectedCalls = ["postEntry", "status", "receipt", "getEntry", "current", "listFirstPage", "deleteUser", "constitution", "members", "enclaveQuotes"];
        var missing = expectedCalls.Concat(FlaggedCalls.Keys).Except(names).ToList();
        Assert.True(missing.Count == 0, $"No call {string.Join(", ", missing)}: {run.Outcome}");
        foreach (var call in calls)
        {
            var name = call.GetProperty("name").GetString()!;
            var status = call.GetProperty("status").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var flagged = FlaggedCalls.TryGetValue(name, out var flaggedStatus);
            Assert.True(
                call.GetProperty("unexpected").GetBoolean() == flagged && (!flagged || status == flaggedStatus),
                $"{name}: {call.GetProperty("method").GetString()} {call.GetProperty("url").GetString()} answered {status}, isUnexpected {call.GetProperty("unexpected").GetBoolean()}");
        }
    }

    private static void AssertEntry(JsonElement entry, string id, string contents, string collectionId)
    {
        Assert.Equal(id, entry.GetProperty("transactionId").GetString());
        Assert.Equal(contents, entry.GetProperty("contents").GetString());
        Assert.Equal(collectionId, entry.GetProperty("collectionId").GetString());
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!).ToList();

    private static int ApiVersionCount(string url) => url.Split('?', 2)[1].Split('&').Count(pair => pair == "api-version=2022-05-13");
}
