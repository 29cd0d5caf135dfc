using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class RoleNamesTests
{
    [Theory]
    [InlineData("administrator", "Administrator")]
    [InlineData("CONTRIBUTOR", "Contributor")]
    [InlineData("rEaDeR", "Reader")]
    [InlineData("Reader", "Reader")]
    public void BuiltInNamesAreCaseInsensitiveAndCapitalised(string input, string expected)
    {
        Assert.True(RoleNames.IsBuiltIn(input));
        Assert.Equal(expected, RoleNames.Normalize(input));
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("Manager")]
    [InlineData("Readers")]
    public void CustomNamesAreKeptAsWritten(string name)
    {
        Assert.False(RoleNames.IsBuiltIn(name));
        Assert.Equal(name, RoleNames.Normalize(name));
    }

    [Fact]
    public void NamesAreOneToTheLimitCharactersWithoutControlCharacters()
    {
        Assert.Null(RoleNames.FindProblem("a"));
        Assert.Null(RoleNames.FindProblem(new string('r', AccessLimits.MaxRoleNameLengthChars)));
        Assert.NotNull(RoleNames.FindProblem(string.Empty));
        Assert.NotNull(RoleNames.FindProblem(new string('r', AccessLimits.MaxRoleNameLengthChars + 1)));
        Assert.NotNull(RoleNames.FindProblem("bad\nname"));
    }
}
