using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Vellum.Tidy.Tests;

/// <summary>
/// Lists the members an assembly's IL refers to that read the wall clock, a monotonic clock or
/// the process-wide random generator. Reading the compiled metadata rather than the source
/// catches aliases, <c>using static</c> and fully qualified names alike.
/// </summary>
internal static class ForbiddenMemberScanner
{
    // Type → members that are forbidden on it; an empty set forbids every member of the type.
    private static readonly Dictionary<string, HashSet<string>> Forbidden = new()
    {
        ["System.DateTime"] = ["get_Now", "get_UtcNow", "get_Today"],
        ["System.DateTimeOffset"] = ["get_Now", "get_UtcNow"],
        ["System.Environment"] = ["get_TickCount", "get_TickCount64"],
        ["System.TimeProvider"] = ["get_System"],
        ["System.Diagnostics.Stopwatch"] = [],
        // A Random passed in (seeded by a test or simulation) is injected randomness; creating
        // one or using the shared instance is not.
        ["System.Random"] = [".ctor", "get_Shared"],
        ["System.Guid"] = ["NewGuid", "CreateVersion7"],
    };

    public static List<string> Scan(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var found = new List<string>();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            var type = FullName(metadata, (TypeReferenceHandle)member.Parent);
            var name = metadata.GetString(member.Name);
            if (Forbidden.TryGetValue(type, out var members) && (members.Count == 0 || members.Contains(name)))
            {
                found.Add($"{type}.{name}");
            }
        }

        foreach (var handle in metadata.TypeReferences)
        {
            var type = FullName(metadata, handle);
            if (Forbidden.TryGetValue(type, out var members) && members.Count == 0)
            {
                found.Add(type);
            }
        }

        return found.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<string> ReferencedAssemblies(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }

    private static string FullName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        var ns = metadata.GetString(type.Namespace);
        var name = metadata.GetString(type.Name);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }
}
