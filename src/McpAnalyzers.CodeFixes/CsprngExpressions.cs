using System.Linq;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.CodeFixes;

/// <summary>Which CSPRNG API the target framework offers, checked by symbol in the compilation being fixed.</summary>
internal enum CsprngApi
{
    /// <summary>No <c>RandomNumberGenerator</c> at all: no fix is offered.</summary>
    None,

    /// <summary>
    /// netstandard2.0 / .NET Framework: only <c>RandomNumberGenerator.Create()</c> and the instance <c>GetBytes(byte[])</c>,
    /// which needs statements; the fix adds a private <c>CreateSecureRandomBytes(int)</c> helper to the type.
    /// </summary>
    CreateInstance,

    /// <summary>.NET 6+: <c>RandomNumberGenerator.GetBytes(int)</c> and <c>Convert.ToHexString(byte[])</c>, usable inline.</summary>
    StaticGetBytes,
}

/// <summary>
/// Builds the replacement expression text for MCPSEC002's fix: a 256-bit CSPRNG value that keeps the type of the
/// expression it replaces. Type names are fully qualified (<c>global::</c>) so that the simplifier can reduce them
/// and add <c>using System.Security.Cryptography;</c> only where needed.
/// </summary>
internal static class CsprngExpressions
{
    internal const string HelperName = "CreateSecureRandomBytes";

    private const string Rng = "global::System.Security.Cryptography.RandomNumberGenerator";

    /// <summary>The helper added to the containing type when only <see cref="CsprngApi.CreateInstance"/> is available.</summary>
    internal const string HelperMethod = """
        private static byte[] CreateSecureRandomBytes(int count)
        {
            var bytes = new byte[count];
            using (var generator = global::System.Security.Cryptography.RandomNumberGenerator.Create())
            {
                generator.GetBytes(bytes);
            }

            return bytes;
        }
        """;

    public static CsprngApi Select(Compilation compilation)
    {
        var rng = compilation.GetTypeByMetadataName("System.Security.Cryptography.RandomNumberGenerator");
        if (rng is null)
        {
            return CsprngApi.None;
        }

        var convert = compilation.GetTypeByMetadataName("System.Convert");
        var hasGetBytes = HasStaticMethod(rng, "GetBytes", SpecialType.System_Int32);
        var hasToHexString = convert is not null && convert.GetMembers("ToHexString").OfType<IMethodSymbol>()
            .Any(m => m.IsStatic && m.Parameters.Length == 1 && m.Parameters[0].Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte });
        if (hasGetBytes && hasToHexString)
        {
            return CsprngApi.StaticGetBytes;
        }

        return rng.GetMembers("Create").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.IsEmpty)
            ? CsprngApi.CreateInstance
            : CsprngApi.None;
    }

    /// <summary>True when <c>RandomNumberGenerator.Fill(Span&lt;byte&gt;)</c> exists (.NET Core 2.1+), the replacement for <c>Random.NextBytes</c>.</summary>
    public static bool HasFill(Compilation compilation)
        => compilation.GetTypeByMetadataName("System.Security.Cryptography.RandomNumberGenerator") is { } rng
            && rng.GetMembers("Fill").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 1);

    /// <summary>
    /// The replacement for an expression of type <paramref name="type"/> in <paramref name="compilation"/>, or null when no CSPRNG form keeps that type.
    /// <paramref name="usesHelper"/> tells the caller to make sure the helper method exists.
    /// </summary>
    public static string? Build(ITypeSymbol? type, Compilation compilation, CsprngApi api, bool flagGuid, out bool usesHelper)
    {
        usesHelper = false;
        if (type is null || api == CsprngApi.None)
        {
            return null;
        }

        string Bytes(int count, out bool helper)
        {
            helper = api == CsprngApi.CreateInstance;
            return helper ? $"{HelperName}({count})" : $"{Rng}.GetBytes({count})";
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            // 32 bytes = 256 bits. Hex where Convert.ToHexString exists; Base64 (also header- and URL-query-safe
            // once escaped) is the only built-in bytes-to-text encoding on netstandard2.0.
            return api == CsprngApi.StaticGetBytes
                ? $"global::System.Convert.ToHexString({Bytes(32, out usesHelper)})"
                : $"global::System.Convert.ToBase64String({Bytes(32, out usesHelper)})";
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return Bytes(32, out usesHelper);
        }

        if (SymbolEqualityComparer.Default.Equals(type, compilation.GetTypeByMetadataName("System.Guid")))
        {
            // Guid.NewGuid() is CSPRNG-backed on .NET; when the project opted into flagging it, build the GUID from CSPRNG bytes.
            return flagGuid ? $"new global::System.Guid({Bytes(16, out usesHelper)})" : "global::System.Guid.NewGuid()";
        }

        return type.SpecialType switch
        {
            SpecialType.System_Byte => $"{Bytes(1, out usesHelper)}[0]",
            SpecialType.System_SByte => $"unchecked((sbyte){Bytes(1, out usesHelper)}[0])",
            SpecialType.System_Int16 => $"global::System.BitConverter.ToInt16({Bytes(2, out usesHelper)}, 0)",
            SpecialType.System_UInt16 => $"global::System.BitConverter.ToUInt16({Bytes(2, out usesHelper)}, 0)",
            SpecialType.System_Int32 => $"global::System.BitConverter.ToInt32({Bytes(4, out usesHelper)}, 0)",
            SpecialType.System_UInt32 => $"global::System.BitConverter.ToUInt32({Bytes(4, out usesHelper)}, 0)",
            SpecialType.System_Int64 => $"global::System.BitConverter.ToInt64({Bytes(8, out usesHelper)}, 0)",
            SpecialType.System_UInt64 => $"global::System.BitConverter.ToUInt64({Bytes(8, out usesHelper)}, 0)",
            _ => null,
        };
    }

    private static bool HasStaticMethod(INamedTypeSymbol type, string name, SpecialType parameterType)
        => type.GetMembers(name).OfType<IMethodSymbol>()
            .Any(m => m.IsStatic && m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == parameterType);
}
