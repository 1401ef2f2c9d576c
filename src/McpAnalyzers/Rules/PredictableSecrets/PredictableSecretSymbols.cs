using McpAnalyzers.Symbols;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Rules.PredictableSecrets;

/// <summary>BCL, ASP.NET Core and SDK types MCPSEC002 matches by symbol, resolved once per compilation. Any may be null.</summary>
internal sealed class PredictableSecretSymbols
{
    public PredictableSecretSymbols(Compilation compilation, INamedTypeSymbol? streamableHttpServerTransport, INamedTypeSymbol? sseResponseStreamTransport)
    {
        StreamableHttpServerTransport = streamableHttpServerTransport;
        SseResponseStreamTransport = sseResponseStreamTransport;
        Random = compilation.FindType("System.Random");
        RandomNumberGenerator = compilation.FindType("System.Security.Cryptography.RandomNumberGenerator");
        Guid = compilation.FindType("System.Guid");
        DateTime = compilation.GetSpecialType(SpecialType.System_DateTime);
        DateTimeOffset = compilation.FindType("System.DateTimeOffset");
        Environment = compilation.FindType("System.Environment");
        Stopwatch = compilation.FindType("System.Diagnostics.Stopwatch");
        TimeProvider = compilation.FindType("System.TimeProvider");
        Interlocked = compilation.FindType("System.Threading.Interlocked");
        HashCode = compilation.FindType("System.HashCode");
        Convert = compilation.FindType("System.Convert");
        BitConverter = compilation.FindType("System.BitConverter");
        Math = compilation.FindType("System.Math");
        Uri = compilation.FindType("System.Uri");
        Encoding = compilation.FindType("System.Text.Encoding");
        HashAlgorithm = compilation.FindType("System.Security.Cryptography.HashAlgorithm");
        KeyedHashAlgorithm = compilation.FindType("System.Security.Cryptography.KeyedHashAlgorithm");
        StringValues = compilation.FindType("Microsoft.Extensions.Primitives.StringValues");
        IHeaderDictionary = compilation.FindType("Microsoft.AspNetCore.Http.IHeaderDictionary");
        HttpHeaders = compilation.FindType("System.Net.Http.Headers.HttpHeaders");
        Base64UrlEncoder = compilation.FindType("Microsoft.IdentityModel.Tokens.Base64UrlEncoder");
        WebEncoders = compilation.FindType("Microsoft.AspNetCore.WebUtilities.WebEncoders");
        Span = compilation.FindType("System.Span`1");
        ReadOnlySpan = compilation.FindType("System.ReadOnlySpan`1");
        Memory = compilation.FindType("System.Memory`1");
        ReadOnlyMemory = compilation.FindType("System.ReadOnlyMemory`1");
    }

    public INamedTypeSymbol? StreamableHttpServerTransport { get; }
    public INamedTypeSymbol? SseResponseStreamTransport { get; }
    public INamedTypeSymbol? Random { get; }
    public INamedTypeSymbol? RandomNumberGenerator { get; }
    public INamedTypeSymbol? Guid { get; }
    public INamedTypeSymbol DateTime { get; }
    public INamedTypeSymbol? DateTimeOffset { get; }
    public INamedTypeSymbol? Environment { get; }
    public INamedTypeSymbol? Stopwatch { get; }
    public INamedTypeSymbol? TimeProvider { get; }
    public INamedTypeSymbol? Interlocked { get; }
    public INamedTypeSymbol? HashCode { get; }
    public INamedTypeSymbol? Convert { get; }
    public INamedTypeSymbol? BitConverter { get; }
    public INamedTypeSymbol? Math { get; }
    public INamedTypeSymbol? Uri { get; }
    public INamedTypeSymbol? Encoding { get; }
    public INamedTypeSymbol? HashAlgorithm { get; }
    public INamedTypeSymbol? KeyedHashAlgorithm { get; }
    public INamedTypeSymbol? StringValues { get; }
    public INamedTypeSymbol? IHeaderDictionary { get; }
    public INamedTypeSymbol? HttpHeaders { get; }
    public INamedTypeSymbol? Base64UrlEncoder { get; }
    public INamedTypeSymbol? WebEncoders { get; }
    public INamedTypeSymbol? Span { get; }
    public INamedTypeSymbol? ReadOnlySpan { get; }
    public INamedTypeSymbol? Memory { get; }
    public INamedTypeSymbol? ReadOnlyMemory { get; }

    /// <summary>True when <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> is, derives from or implements <paramref name="target"/>.</summary>
    public static bool IsOrImplements(ITypeSymbol? type, INamedTypeSymbol? target)
    {
        if (type is null || target is null)
        {
            return false;
        }

        if (IsOrDerivesFrom(type, target))
        {
            return true;
        }

        foreach (var iface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(iface.OriginalDefinition, target))
            {
                return true;
            }
        }

        return false;
    }
}
