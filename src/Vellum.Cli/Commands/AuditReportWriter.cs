using System.Globalization;
using System.Text.Json;
using Vellum.Storage.Audit;

namespace Vellum.Cli.Commands;

/// <summary>Prints an audit's report: a summary for people, or one JSON object for scripts (docs/operations.md, "Auditing").</summary>
internal static class AuditReportWriter
{
    /// <summary>Writes the summary on <paramref name="output"/>, or the reason on <paramref name="error"/>.</summary>
    public static void WriteText(LedgerAuditReport report, string source, TimeSpan elapsed, string? note, TextWriter output, TextWriter error)
    {
        if (report.Failure is { } failure)
        {
            error.WriteLine($"invalid: {failure}");
            return;
        }

        var last = report.LastSignature;
        output.WriteLine("valid");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"source            {source}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"entries           {report.Entries} (seqnos 1-{report.Entries}), {report.Signatures} signatures"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chunks            {report.Chunks}, {report.Bytes} bytes"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"views             {report.Views}"));
        output.WriteLine(last is null ? "last signature    none: the ledger is empty" : $"last signature    {last.Header.Id} signing root {last.Root}");
        foreach (var era in report.ServiceEras)
        {
            var seqnos = era.LastSeqno == long.MaxValue ? $"{era.FirstSeqno} onwards" : $"{era.FirstSeqno}-{era.LastSeqno}";
            output.WriteLine($"service identity  {era.IdentityId} signed seqnos {seqnos}");
        }

        if (report.UnsignedEntries > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"not audited       {report.UnsignedEntries} entries of the open chunk after its last signature, which no signature covers"));
        }

        if (note is not null)
        {
            output.WriteLine($"not audited       {note}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time              {elapsed.TotalSeconds:0.000} s"));
    }

    /// <summary>Writes the report as one JSON object on <paramref name="output"/>, valid or not.</summary>
    public static void WriteJson(LedgerAuditReport report, string source, TimeSpan elapsed, string? note, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", report.IsValid);
            writer.WriteString("source", source);
            writer.WriteNumber("entries", report.Entries);
            writer.WriteNumber("signatures", report.Signatures);
            writer.WriteNumber("chunks", report.Chunks);
            writer.WriteNumber("bytes", report.Bytes);
            writer.WriteNumber("views", report.Views);
            writer.WriteNumber("unsignedEntries", report.UnsignedEntries);
            WriteNullable(writer, "lastTransactionId", report.LastSignature?.Header.Id.ToString());
            WriteNullable(writer, "lastSignedRoot", report.LastSignature?.Root.ToHex());
            writer.WriteStartArray("serviceIdentities");
            foreach (var era in report.ServiceEras)
            {
                writer.WriteStartObject();
                writer.WriteString("id", era.IdentityId);
                writer.WriteNumber("firstSeqno", era.FirstSeqno);
                if (era.LastSeqno == long.MaxValue)
                {
                    writer.WriteNull("lastSeqno");
                }
                else
                {
                    writer.WriteNumber("lastSeqno", era.LastSeqno);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteNullable(writer, "note", note);
            writer.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
            WriteFailure(writer, report.Failure);
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteFailure(Utf8JsonWriter writer, LedgerAuditFailure? failure)
    {
        if (failure is null)
        {
            writer.WriteNull("failure");
            return;
        }

        writer.WriteStartObject("failure");
        WriteNullable(writer, "transactionId", failure.TransactionId?.ToString());
        writer.WriteNumber("seqno", failure.Seqno);
        WriteNullable(writer, "file", failure.Path.Length == 0 ? null : failure.Path);
        writer.WriteNumber("offset", failure.Offset);
        writer.WriteString("reason", failure.Reason);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
