using System.Text;

namespace Vellum.Node.Tests.Support;

/// <summary>Request bodies that are not valid UTF-8, written as text.</summary>
internal static class Utf8Bytes
{
    /// <summary>The UTF-8 of <paramref name="text"/> with each <c>&lt;FF&gt;</c> replaced by the byte 0xFF, which is never UTF-8.</summary>
    public static byte[] WithByteFF(string text)
        => [.. text.Split("<FF>").SelectMany((part, index) => index == 0 ? Encoding.UTF8.GetBytes(part) : [0xFF, .. Encoding.UTF8.GetBytes(part)])];
}
