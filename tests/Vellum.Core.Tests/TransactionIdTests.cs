using Vellum.Core;

namespace Vellum.Core.Tests;

public class TransactionIdTests
{
    [Theory]
    [InlineData("2.15", 2, 15)]
    [InlineData("1.1", 1, 1)]
    [InlineData("8.29569", 8, 29569)]
    [InlineData("9223372036854775807.9223372036854775807", long.MaxValue, long.MaxValue)]
    public void WellFormedIdsParseAndFormatBackToTheSameText(string text, long view, long seqno)
    {
        var id = TransactionId.Parse(text);

        Assert.Equal(view, id.View);
        Assert.Equal(seqno, id.Seqno);
        Assert.Equal(text, id.ToString());
        Assert.Equal(text, $"{id}");
    }

    [Theory]
    [InlineData("", "form <view>.<seqno>")]
    [InlineData("2", "form <view>.<seqno>")]
    [InlineData("2.", "seqno is missing")]
    [InlineData(".2", "view is missing")]
    [InlineData("a.b", "view is not a decimal number")]
    [InlineData("2.b", "seqno is not a decimal number")]
    [InlineData("-1.2", "view is negative")]
    [InlineData("1.-2", "seqno is negative")]
    [InlineData("+1.2", "view is not a decimal number")]
    [InlineData(" 1.2", "view is not a decimal number")]
    [InlineData("1.2 ", "seqno is not a decimal number")]
    [InlineData("0.5", "view must be at least 1")]
    [InlineData("5.0", "seqno must be at least 1")]
    [InlineData("02.5", "view has a leading zero")]
    [InlineData("9223372036854775808.1", "view exceeds")]
    [InlineData("1.99999999999999999999999", "seqno exceeds")]
    [InlineData("1.2.3", "more than two parts")]
    [InlineData("1..2", "more than two parts")]
    [InlineData("1.2e3", "seqno is not a decimal number")]
    public void MalformedIdsAreRejectedWithAReason(string text, string reason)
    {
        Assert.False(TransactionId.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => TransactionId.Parse(text));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void IdsOrderBySeqnoThenView()
    {
        var ids = new[] { "3.10", "2.10", "2.9", "1.11", "4.1" }.Select(TransactionId.Parse).ToList();

        ids.Sort();

        Assert.Equal(["4.1", "2.9", "2.10", "3.10", "1.11"], ids.Select(id => id.ToString()));
        Assert.True(TransactionId.Parse("2.9") < TransactionId.Parse("2.10"));
        Assert.True(TransactionId.Parse("3.10") > TransactionId.Parse("2.10"));
    }

    [Fact]
    public void ConstructorRejectsZeroAndNegativeParts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransactionId(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransactionId(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransactionId(-1, 5));
    }

    [Fact]
    public void TheLongestIdFillsMaxCharsExactlyAndFormatsInPlace()
    {
        var longest = new TransactionId(long.MaxValue, long.MaxValue);
        Span<char> text = stackalloc char[TransactionId.MaxChars];

        Assert.True(longest.TryFormat(text, out var written, default, null));

        Assert.Equal(TransactionId.MaxChars, written);
        Assert.Equal(longest.ToString(), text.ToString());
        Assert.False(longest.TryFormat(text[..^1], out _, default, null));
    }
}
