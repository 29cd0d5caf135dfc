namespace Vellum.Node.Tests.Compatibility;

/// <summary>
/// A fact that needs <c>node</c> and the pinned ACL JavaScript client. xunit v2 has no dynamic
/// skip, so the attribute decides at discovery: where they are missing the test is skipped with
/// the fix as its reason, except under <c>CI=true</c>, where it runs and fails with that reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class JavaScriptClientFactAttribute : FactAttribute
{
    public JavaScriptClientFactAttribute()
    {
        if (CompatJs.MissingReason is { } reason && !CompatJs.IsCi)
        {
            Skip = reason;
        }
    }
}
