using System.Text;
using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class RoleDefinitionsJsonTests
{
    [Fact]
    public void TheSpecificationsBareCamelCaseArrayIsAcceptedAndDescriptionIgnored()
    {
        var roles = RoleDefinitionsJson.Parse("""
            [
              {"roleName":"manager","description":"Bank managers","roleActions":["/banking/accounts/post","Microsoft.ConfidentialLedger/ledger/users/read"]},
              {"roleName":"auditor","roleActions":["/banking/audit"]}
            ]
            """u8);

        Assert.Equal(["manager", "auditor"], roles.Select(role => role.Name));
        Assert.Equal(["/banking/accounts/post", "Microsoft.ConfidentialLedger/ledger/users/read"], roles[0].Actions);
        Assert.Equal(["/banking/audit"], roles[1].Actions);
    }

    [Fact]
    public void TheProgrammingGuidesWrappedSnakeCaseBodyIsAccepted()
    {
        var roles = RoleDefinitionsJson.Parse("""{"roles":[{"role_name":"manager","role_actions":["/banking/accounts/post","/banking/accounts/put"]}]}"""u8);

        var role = Assert.Single(roles);
        Assert.Equal("manager", role.Name);
        Assert.Equal(["/banking/accounts/post", "/banking/accounts/put"], role.Actions);
    }

    [Fact]
    public void RepeatedActionsAreDroppedKeepingTheFirst()
    {
        var role = Assert.Single(RoleDefinitionsJson.Parse("""[{"roleName":"m","roleActions":["/b","/a","/b"]}]"""u8));

        Assert.Equal(["/b", "/a"], role.Actions);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("\"manager\"", "must be an array of roles or an object")]
    [InlineData("[]", "body has no roles")]
    [InlineData("""{"roles":[]}""", "body.roles has no roles")]
    [InlineData("""{"roles":{}}""", "body.roles must be an array")]
    [InlineData("""{"roles":[],"extra":1}""", "unknown field \"extra\"")]
    [InlineData("""{"rolez":[]}""", "unknown field \"rolez\"")]
    [InlineData("""[{"roleActions":["/a"]}]""", "body[0] is missing the required field \"roleName\"")]
    [InlineData("""[{"roleName":"m"}]""", "body[0] is missing the required field \"roleActions\"")]
    [InlineData("""[{"roleName":"m","roleActions":[]}]""", "body[0].roleActions has no actions")]
    [InlineData("""[{"roleName":"m","roleActions":["/a",7]}]""", "body[0].roleActions[1] must be a string")]
    [InlineData("""[{"roleName":"m","roleActions":"/a"}]""", "body[0].roleActions must be an array")]
    [InlineData("""[{"roleName":7,"roleActions":["/a"]}]""", "body[0].roleName must be a string")]
    [InlineData("""[{"roleName":"","roleActions":["/a"]}]""", "body[0].roleName is invalid")]
    [InlineData("""[{"roleName":"m","roleActions":[""]}]""", "body[0].roleActions[0] is invalid")]
    [InlineData("""[{"roleName":"m","roleActions":["/a"]},{"roleName":"m","roleActions":["/b"]}]""", "body[1].roleName repeats the role \"m\"")]
    [InlineData("""[{"role_name":"m","role_actions":["/a"]}]""", "body[0] is missing the required field \"roleName\"")]
    [InlineData("""{"roles":[{"roleName":"m","roleActions":["/a"]}]}""", "body.roles[0] is missing the required field \"role_name\"")]
    [InlineData("""[{"roleName":"m","roleName":"n","roleActions":["/a"]}]""", "key \"roleName\" twice")]
    [InlineData("""["manager"]""", "body[0] must be an object")]
    public void MalformedBodiesAreRejectedWithAClearMessage(string json, string expectedMessagePart)
    {
        var exception = Assert.Throws<AccessFormatException>(() => RoleDefinitionsJson.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expectedMessagePart, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyThatIsNotValidUtf8IsRejected()
    {
        byte[] json = [.. "[{\""u8, 0xC3, .. "\":1,\"roleName\":\"m\",\"roleActions\":[\"/a\"]}]"u8];

        var exception = Assert.Throws<AccessFormatException>(() => RoleDefinitionsJson.Parse(json));

        Assert.Contains("body[0] has a key that is not valid Unicode", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoleAndActionCountsAreBounded()
    {
        var tooManyRoles = "[" + string.Join(',', Enumerable.Range(0, AccessLimits.MaxRolesPerRequest + 1).Select(i => $$"""{"roleName":"r{{i}}","roleActions":["/a"]}""")) + "]";
        var tooManyActions = $$"""[{"roleName":"m","roleActions":[{{string.Join(',', Enumerable.Range(0, AccessLimits.MaxActionsPerRole + 1).Select(i => $"\"/a{i}\""))}}]}]""";

        var roles = Assert.Throws<AccessFormatException>(() => RoleDefinitionsJson.Parse(Encoding.UTF8.GetBytes(tooManyRoles)));
        var actions = Assert.Throws<AccessFormatException>(() => RoleDefinitionsJson.Parse(Encoding.UTF8.GetBytes(tooManyActions)));

        Assert.Contains($"{AccessLimits.MaxRolesPerRequest + 1} roles; the limit is {AccessLimits.MaxRolesPerRequest}", roles.Message, StringComparison.Ordinal);
        Assert.Contains($"{AccessLimits.MaxActionsPerRole + 1} actions; the limit is {AccessLimits.MaxActionsPerRole}", actions.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RolesAreWrittenAsTheBareCamelCaseArray()
    {
        RoleDefinition[] roles = [new("manager", ["/banking/accounts/post", "/banking/audit"]), new("Reader", ["Microsoft.ConfidentialLedger/ledger/read"])];

        var json = Encoding.UTF8.GetString(RoleDefinitionsJson.Serialize(roles));

        Assert.Equal(
            """[{"roleName":"manager","roleActions":["/banking/accounts/post","/banking/audit"]},{"roleName":"Reader","roleActions":["Microsoft.ConfidentialLedger/ledger/read"]}]""",
            json);
    }

    [Fact]
    public void WrittenRolesParseBackUnchanged()
    {
        var access = new AccessControl();
        access.Apply(AccessChange.SetRole("manager", ["/banking/accounts/post"]));

        var parsed = RoleDefinitionsJson.Parse(RoleDefinitionsJson.Serialize(access.Roles));

        Assert.Equal(access.Roles.Select(role => role.Name), parsed.Select(role => role.Name));
        Assert.All(parsed.Zip(access.Roles), pair => Assert.Equal(pair.Second.Actions, pair.First.Actions));
    }
}
