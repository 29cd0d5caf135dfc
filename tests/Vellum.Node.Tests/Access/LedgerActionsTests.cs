using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class LedgerActionsTests
{
    // ACL-WIRE.md §5, written out in full so that a typo in a constant cannot hide here.
    private static readonly string[] ExpectedReader =
    [
        "Microsoft.ConfidentialLedger/ledger/governance/constitution/read",
        "Microsoft.ConfidentialLedger/ledger/governance/members/read",
        "Microsoft.ConfidentialLedger/ledger/enclaves/read",
        "Microsoft.ConfidentialLedger/ledger/read",
        "Microsoft.ConfidentialLedger/ledger/historicalQuery",
        "Microsoft.ConfidentialLedger/ledger/receipts/read",
        "Microsoft.ConfidentialLedger/ledger/transactions/status/read",
        "Microsoft.ConfidentialLedger/ledger/collections/read",
        "Microsoft.ConfidentialLedger/ledger/subLedgerIds/read",
        "Microsoft.ConfidentialLedger/ledger/users/readall",
        "Microsoft.ConfidentialLedger/ledger/users/read",
        "Microsoft.ConfidentialLedger/ledger/roleDefinitions/read",
    ];

    private static readonly string[] ExpectedContributor = [.. ExpectedReader, "Microsoft.ConfidentialLedger/ledger/append"];

    private static readonly string[] ExpectedAdministrator =
    [
        .. ExpectedContributor,
        "Microsoft.ConfidentialLedger/ledger/users/write",
        "Microsoft.ConfidentialLedger/ledger/users/delete",
        "Microsoft.ConfidentialLedger/ledger/roleDefinitions/write",
        "Microsoft.ConfidentialLedger/ledger/roleDefinitions/delete",
        "Microsoft.ConfidentialLedger/ledger/endpoints/write",
        "Microsoft.ConfidentialLedger/ledger/endpoints/read",
    ];

    [Fact]
    public void BuiltInActionSetsAreExactlyAclsInAclsOrder()
    {
        Assert.Equal(ExpectedReader, LedgerActions.ReaderActions);
        Assert.Equal(ExpectedContributor, LedgerActions.ContributorActions);
        Assert.Equal(ExpectedAdministrator, LedgerActions.AdministratorActions);
    }

    [Fact]
    public void ActionConstantsSpellAclsActionStrings()
    {
        Assert.Equal("Microsoft.ConfidentialLedger/ledger/append", LedgerActions.Append);
        Assert.Equal("Microsoft.ConfidentialLedger/ledger/users/readall", LedgerActions.UsersReadAll);
        Assert.Equal("Microsoft.ConfidentialLedger/ledger/transactions/status/read", LedgerActions.TransactionsStatusRead);
        Assert.Equal("Microsoft.ConfidentialLedger/ledger/roleDefinitions/delete", LedgerActions.RoleDefinitionsDelete);
        Assert.Equal("Microsoft.ConfidentialLedger/ledger/endpoints/read", LedgerActions.EndpointsRead);
    }

    [Theory]
    [InlineData("Administrator", 19)]
    [InlineData("administrator", 19)]
    [InlineData("CONTRIBUTOR", 13)]
    [InlineData("reader", 12)]
    public void BuiltInRolesAreFoundInAnyCase(string name, int actionCount) =>
        Assert.Equal(actionCount, LedgerActions.ForBuiltInRole(name)?.Count);

    [Fact]
    public void CustomNamesHaveNoBuiltInActions() => Assert.Null(LedgerActions.ForBuiltInRole("manager"));

    [Theory]
    [InlineData("")]
    [InlineData("bad\u0007action")]
    public void MalformedActionsAreRejected(string action) => Assert.NotNull(LedgerActions.FindProblem(action));

    [Fact]
    public void FreeFormActionsWithSlashesAndSpacesAreAccepted() =>
        Assert.Null(LedgerActions.FindProblem("/banking/accounts/post money"));
}
