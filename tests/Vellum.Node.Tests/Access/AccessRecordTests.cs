using System.Text;
using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

/// <summary>The record of several changes: version 2, written only when there is more than one change.</summary>
public class AccessRecordTests
{
    private const string Teller = """{"change":"setRole","role":"teller","actions":["/a"]}""";
    private const string Manager = """{"change":"setRole","role":"manager","actions":["/a","/b"]}""";

    [Fact]
    public void SeveralChangesSerialiseToOneVersion2RecordAndParseBack()
    {
        var record = new AccessRecord(
        [
            AccessChange.SetRole("teller", ["/a"]),
            AccessChange.SetRole("manager", ["/a", "/b"]),
            AccessChange.SetUserRoles(UserId.Parse("Carol"), ["manager", "reader"]),
            AccessChange.RemoveRole("teller"),
        ]);

        var json = record.ToJson();

        Assert.Equal(
            $$"""{"v":2,"changes":[{{Teller}},{{Manager}},{"change":"setUserRoles","userId":"carol","roles":["manager","Reader"]},{"change":"removeRole","role":"teller"}]}""",
            Encoding.UTF8.GetString(json));
        var parsed = AccessRecord.Parse(json);
        Assert.Equal(record.Changes, parsed.Changes);
        Assert.Equal(json, parsed.ToJson());
    }

    [Fact]
    public void ARecordOfOneChangeIsWrittenAsVersion1SoEarlierBuildsReadIt()
    {
        var json = Encoding.UTF8.GetString(new AccessRecord([AccessChange.SetRole("teller", ["/a"])]).ToJson());

        Assert.Equal("""{"v":1,"change":"setRole","role":"teller","actions":["/a"]}""", json);
    }

    [Theory]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{{Manager}}],"extra":true}""", "record has the unknown field \"extra\"")]
    [InlineData("""{"v":2,"change":"removeRole","role":"m"}""", "record has the unknown field \"change\"")]
    [InlineData($$"""{"v":1,"changes":[{{Teller}},{{Manager}}]}""", "record is missing the required field \"change\"")]
    [InlineData("""{"v":2}""", "record is missing the required field \"changes\"")]
    [InlineData("""{"v":2,"changes":{}}""", "record.changes must be an array")]
    [InlineData("""{"v":2,"changes":[]}""", "record.changes has 0 change(s)")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}}]}""", "record.changes has 1 change(s); a version 2 record has at least 2")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},7]}""", "record.changes[1] must be an object")]
    [InlineData($$"""{"v":2,"changes":[{"v":1,"change":"setRole","role":"teller","actions":["/a"]},{{Manager}}]}""", "record.changes[0] has the unknown field \"v\"")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{"v":2,"changes":[{{Teller}},{{Manager}}]}]}""", "record.changes[1] is missing the required field \"change\"")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{"change":"removeRole","role":"m","extra":1}]}""", "record.changes[1] has the unknown field \"extra\"")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{"change":"renameRole","role":"m"}]}""", "record.changes[1].change is \"renameRole\"")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{"change":"removeRole","role":7}]}""", "record.changes[1].role must be a string")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{"change":"removeUser","userId":"Carol"}]}""", "record.changes[1].userId is \"Carol\", not in canonical form")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{"change":"removeRole","role":"Reader"}]}""", "record.changes[1] is invalid (BuiltInRoleImmutable)")]
    [InlineData($$"""{"v":2,"changes":[{{Teller}},{{Manager}}],"changes":[]}""", "key \"changes\" twice")]
    public void MalformedRecordsOfSeveralChangesAreRejectedWithTheirPath(string json, string expectedMessagePart)
    {
        var exception = Assert.Throws<AccessFormatException>(() => AccessRecord.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expectedMessagePart, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordHoldsAtMostTheLimitOfChanges()
    {
        var atLimit = Changes(AccessLimits.MaxChangesPerRecord);
        var overLimit = Changes(AccessLimits.MaxChangesPerRecord + 1);

        Assert.Equal(AccessLimits.MaxChangesPerRecord, AccessRecord.Parse(Encoding.UTF8.GetBytes(atLimit)).Changes.Count);
        var exception = Assert.Throws<AccessFormatException>(() => AccessRecord.Parse(Encoding.UTF8.GetBytes(overLimit)));
        Assert.Contains($"record.changes has {AccessLimits.MaxChangesPerRecord + 1} changes; the limit is {AccessLimits.MaxChangesPerRecord}", exception.Message, StringComparison.Ordinal);

        static string Changes(int count) =>
            """{"v":2,"changes":[""" + string.Join(',', Enumerable.Range(0, count).Select(i => $$"""{"change":"removeRole","role":"r{{i}}"}""")) + "]}";
    }

    [Fact]
    public void ARecordOfNoChangesOrTooManyCannotBeMade()
    {
        var tooMany = Enumerable.Range(0, AccessLimits.MaxChangesPerRecord + 1).Select(i => AccessChange.RemoveRole($"r{i}"));

        Assert.Throws<ArgumentException>(() => new AccessRecord([]));
        Assert.Throws<ArgumentException>(() => new AccessRecord(tooMany));
        Assert.True(AccessLimits.MaxRolesPerRequest <= AccessLimits.MaxChangesPerRecord, "every /app/roles request fits in one record");
    }

    [Fact]
    public void ARecordWithABadChangeAnywhereIsNeverSerialised()
    {
        var record = new AccessRecord([AccessChange.SetRole("teller", ["/a"]), AccessChange.SetRole("Reader", ["/a"])]);

        Assert.Throws<Core.InvariantViolationException>(() => record.ToJson());
        Assert.Contains("2 change(s) (BuiltInRoleImmutable", record.ToString(), StringComparison.Ordinal);
    }
}
