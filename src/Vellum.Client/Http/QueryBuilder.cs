using System.Text;

namespace Vellum.Client.Http;

/// <summary>A path with query parameters appended, each value escaped; parameters with no value are left out.</summary>
internal sealed class QueryBuilder(string path)
{
    private readonly StringBuilder _text = new(path);
    private bool _hasQuery = path.Contains('?', StringComparison.Ordinal);

    public QueryBuilder Add(string name, string? value)
    {
        if (value is not null)
        {
            _text.Append(_hasQuery ? '&' : '?').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            _hasQuery = true;
        }

        return this;
    }

    public override string ToString() => _text.ToString();
}
