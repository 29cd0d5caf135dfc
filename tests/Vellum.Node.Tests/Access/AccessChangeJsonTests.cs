using System.Text;
using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class AccessChangeJsonTests
{
    public static TheoryData<string, AccessChange, string> EveryKind => new()
    {
        {
            "setUserRoles",
            AccessChange.SetUserRoles(UserId.Parse("5F:23:3D:26:E2:28:88:9C:06:E0:88:21:FA:C7:B2:9A:F8:81:30:6B:F9:15:41:F2:34:05:05:44:4C:AD:5A:B5"), ["reader", "manager", "Reader"]),
            """{"v":1,"change":"setUserRoles","userId":"5f233d26e228889c06e08821fac7b29af881306bf91541f2340505444cad5ab5","roles":["Reader","manager"]}"""
        },
        {
            "removeUser",
            AccessChange.RemoveUser(UserId.Parse("6696D1BC-6012-47DA-8556-AB4C747999C9")),
            """{"v":1,"change":"removeUser","userId":"6696d1bc-6012-47da-8556-ab4c747999c9"}"""
        },
        {
            "setRole",
            AccessChange.SetRole("manager", ["/banking/accounts/post", "Microsoft.ConfidentialLedger/ledger/append", "/banking/accounts/post"]),
            """{"v":1,"change":"setRole","role":"manager","actions":["/banking/accounts/post","Microsoft.ConfidentialLedger/ledger/append"]}"""
        },
        {
            "removeRole",
            AccessChange.RemoveRole("Gérant"),
            """{"v":1,"change":"removeRole","role":"Gérant"}"""
        },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EveryKindSerialisesToItsDocumentedRecordAndParsesBack(string kind, AccessChange change, string expectedJson)
    {
        var json = new AccessRecord([change]).ToJson();

        Assert.Equal(expectedJson, Encoding.UTF8.GetString(json));
        Assert.Contains($"\"{kind}\"", expectedJson, StringComparison.Ordinal);
        var parsed = Assert.Single(AccessRecord.Parse(json).Changes);
        Assert.Equal(change, parsed);
        Assert.Equal(change.Kind, parsed.Kind);
        Assert.Equal(json, new AccessRecord([parsed]).ToJson());
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "must be an object")]
    [InlineData("""{"change":"removeRole","role":"m"}""", "missing the required field \"v\"")]
    [InlineData("""{"v":3,"change":"removeRole","role":"m"}""", "only versions 1 and 2")]
    [InlineData("""{"v":"1","change":"removeRole","role":"m"}""", "only versions 1 and 2")]
    [InlineData("""{"v":1.5,"change":"removeRole","role":"m"}""", "only versions 1 and 2")]
    [InlineData("""{"v":1,"change":"renameRole","role":"m"}""", "\"renameRole\", not one of")]
    [InlineData("""{"v":1,"role":"m"}""", "missing the required field \"change\"")]
    [InlineData("""{"v":1,"change":"removeRole","role":"m","extra":true}""", "unknown field \"extra\"")]
    [InlineData("""{"v":1,"change":"removeRole","role":"m","role":"n"}""", "key \"role\" twice")]
    [InlineData("""{"v":1,"change":"removeRole","role":7}""", "record.role must be a string")]
    [InlineData("""{"v":1,"change":"removeRole","role":"Reader"}""", "BuiltInRoleImmutable")]
    [InlineData("""{"v":1,"change":"removeRole","role":""}""", "InvalidRoleName")]
    [InlineData("""{"v":1,"change":"removeRole","role":"m"} {}""", "not valid JSON")]
    [InlineData("""{"v":1,"change":"removeUser"}""", "missing the required field \"userId\"")]
    [InlineData("""{"v":1,"change":"removeUser","userId":"Carol"}""", "not in canonical form \"carol\"")]
    [InlineData("""{"v":1,"change":"removeUser","userId":"a b"}""", "not a user id")]
    [InlineData("""{"v":1,"change":"setUserRoles","userId":"carol","roles":[]}""", "EmptyRoleList")]
    [InlineData("""{"v":1,"change":"setUserRoles","userId":"carol","roles":"Reader"}""", "record.roles must be an array")]
    [InlineData("""{"v":1,"change":"setUserRoles","userId":"carol","roles":["Reader",1]}""", "record.roles[1] must be a string")]
    [InlineData("""{"v":1,"change":"setUserRoles","userId":"carol","roles":["reader"]}""", "a built-in role is written \"Reader\"")]
    [InlineData("""{"v":1,"change":"setUserRoles","userId":"carol","roles":["m","m"]}""", "record.roles[1] repeats")]
    [InlineData("""{"v":1,"change":"setUserRoles","userId":"carol","role":["Reader"]}""", "unknown field \"role\"")]
    [InlineData("""{"v":1,"change":"setRole","role":"m","actions":[]}""", "EmptyActionList")]
    [InlineData("""{"v":1,"change":"setRole","role":"m","actions":["/a","/a"]}""", "record.actions[1] repeats")]
    [InlineData("""{"v":1,"change":"setRole","role":"m","actions":["/a\u0000"]}""", "InvalidAction")]
    [InlineData("""{"v":1,"change":"setRole","role":"m"}""", "missing the required field \"actions\"")]
    public void MalformedRecordsAreRejectedWithAClearMessage(string json, string expectedMessagePart)
    {
        var exception = Assert.Throws<AccessFormatException>(() => AccessRecord.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expectedMessagePart, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        byte[] json = [.. """{"v":1,"change":"removeRole","role":"""u8, (byte)'"', 0xFF, (byte)'"', (byte)'}'];

        var exception = Assert.Throws<AccessFormatException>(() => AccessRecord.Parse(json));

        Assert.Contains("record.role is not valid Unicode", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEscapedLoneSurrogateIsRejected()
    {
        var exception = Assert.Throws<AccessFormatException>(() => AccessRecord.Parse("""{"v":1,"change":"removeRole","role":"\ud800"}"""u8));

        Assert.Contains("record.role", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyRolesInARecordAreRejected()
    {
        var roles = string.Join(',', Enumerable.Range(0, AccessLimits.MaxRolesPerUser + 1).Select(i => $"\"r{i}\""));

        var exception = Assert.Throws<AccessFormatException>(() =>
            AccessRecord.Parse(Encoding.UTF8.GetBytes($$"""{"v":1,"change":"setUserRoles","userId":"carol","roles":[{{roles}}]}""")));

        Assert.Contains("the limit is", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangeThatWouldBeRefusedOnReplayIsNeverSerialised()
    {
        var change = AccessChange.SetUserRoles(UserId.Parse("carol"), []);

        Assert.Throws<Core.InvariantViolationException>(() => new AccessRecord([change]).ToJson());
        Assert.Contains("EmptyRoleList", change.ToString(), StringComparison.Ordinal);
    }
}
