using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Vellum.Client.Tests.Support;

/// <summary>
/// The public surface of an assembly as sorted text, one line per type and member, with
/// nullability, default values and init-only setters: everything whose change breaks a caller.
/// </summary>
internal static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(object)] = "object",
        [typeof(string)] = "string",
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(int)] = "int",
        [typeof(long)] = "long",
        [typeof(double)] = "double",
    };

    public static List<string> Of(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(type => type.FullName, StringComparer.Ordinal))
        {
            lines.Add(Describe(type));
            lines.AddRange(Members(type).Order(StringComparer.Ordinal));
        }

        return lines;
    }

    private static string Describe(Type type)
    {
        var kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(Name(baseType, null));
        }

        bases.AddRange(type.GetInterfaces().Select(i => Name(i, null)).Order(StringComparer.Ordinal));
        return bases.Count == 0 ? $"{kind} {type.FullName}" : $"{kind} {type.FullName} : {string.Join(", ", bases)}";
    }

    private static IEnumerable<string> Members(Type type)
    {
        var context = new NullabilityInfoContext();
        var prefix = type.FullName + ".";
        foreach (var field in type.GetFields(Declared).Where(f => !f.IsSpecialName))
        {
            var value = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue()) : string.Empty;
            yield return $"{prefix}{field.Name} : {Name(field.FieldType, context.Create(field))}{value}";
        }

        foreach (var property in type.GetProperties(Declared))
        {
            var accessors = (property.GetMethod?.IsPublic == true ? "get; " : string.Empty) + Setter(property);
            yield return $"{prefix}{property.Name} : {Name(property.PropertyType, context.Create(property))} {{ {accessors}}}";
        }

        foreach (var constructor in type.GetConstructors(Declared))
        {
            yield return $"{prefix}.ctor({Parameters(constructor, context)})";
        }

        foreach (var method in type.GetMethods(Declared).Where(m => (!m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal)) && !m.Name.StartsWith('<')))
        {
            var modifier = method.IsStatic ? "static " : string.Empty;
            yield return $"{modifier}{prefix}{method.Name}({Parameters(method, context)}) -> {Name(method.ReturnType, context.Create(method.ReturnParameter))}";
        }
    }

    private static string Setter(PropertyInfo property)
    {
        if (property.SetMethod is not { IsPublic: true } setter)
        {
            return string.Empty;
        }

        var isInit = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
        return isInit ? "init; " : "set; ";
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext context) => string.Join(", ", method.GetParameters().Select(parameter =>
    {
        var text = $"{Name(parameter.ParameterType, context.Create(parameter))} {parameter.Name}";
        return parameter.HasDefaultValue ? $"{text} = {Literal(parameter.DefaultValue)}" : text;
    }));

    private static string Literal(object? value) => value switch
    {
        null => "default",
        string text => $"\"{text}\"",
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    private static string Name(Type type, NullabilityInfo? nullability)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!, nullability?.ElementType ?? nullability);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying, null) + "?";
        }

        var mark = !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? "?" : string.Empty;
        if (type.IsArray)
        {
            return Name(type.GetElementType()!, nullability?.ElementType) + "[]" + mark;
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword + mark;
        }

        if (!type.IsGenericType)
        {
            return (type.FullName ?? type.Name) + mark;
        }

        var definition = type.GetGenericTypeDefinition().FullName!;
        var arguments = type.GetGenericArguments().Select((argument, i) => Name(argument, nullability?.GenericTypeArguments.ElementAtOrDefault(i)));
        return $"{definition[..definition.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", arguments)}>{mark}";
    }
}
