using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace McpAnalyzers.Symbols;

/// <summary>
/// Types of the MCP C# SDK (ModelContextProtocol*, 0.2 previews through 2.x), resolved once per
/// compilation. <see cref="TryCreate"/> returns null for a compilation that does not reference the
/// SDK, which is how every rule bails out on projects without MCP before registering anything else.
/// Any member may be null: older SDK versions lack some types, and IDE compilations can be partial.
/// </summary>
internal sealed class McpSdkSymbols
{
    private McpSdkSymbols(Compilation compilation, INamedTypeSymbol toolAttribute)
    {
        McpServerToolAttribute = toolAttribute;
        McpServerPromptAttribute = compilation.FindType("ModelContextProtocol.Server.McpServerPromptAttribute");
        McpServerResourceAttribute = compilation.FindType("ModelContextProtocol.Server.McpServerResourceAttribute");
        McpServerToolTypeAttribute = compilation.FindType("ModelContextProtocol.Server.McpServerToolTypeAttribute");
        McpServer = compilation.FindType("ModelContextProtocol.Server.McpServer");
        IMcpServer = compilation.FindType("ModelContextProtocol.Server.IMcpServer");
        RequestContext = compilation.FindType("ModelContextProtocol.Server.RequestContext`1");
        CallToolRequestParams = compilation.FindType("ModelContextProtocol.Protocol.CallToolRequestParams");
        McpServerOptions = compilation.FindType("ModelContextProtocol.Server.McpServerOptions");
        StreamableHttpServerTransport = compilation.FindType("ModelContextProtocol.Server.StreamableHttpServerTransport");
        SseResponseStreamTransport = compilation.FindType("ModelContextProtocol.Server.SseResponseStreamTransport");
        ProtectedResourceMetadata = compilation.FindType("ModelContextProtocol.Authentication.ProtectedResourceMetadata");
        McpAuthenticationOptions = compilation.FindType("ModelContextProtocol.AspNetCore.Authentication.McpAuthenticationOptions");
        ISessionMigrationHandler = compilation.FindType("ModelContextProtocol.AspNetCore.ISessionMigrationHandler");
        McpEndpointRouteBuilderExtensions = compilation.FindType("Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions");
        HttpMcpServerBuilderExtensions = compilation.FindType("Microsoft.Extensions.DependencyInjection.HttpMcpServerBuilderExtensions");
        McpServerBuilderExtensions = compilation.FindType("Microsoft.Extensions.DependencyInjection.McpServerBuilderExtensions");
    }

    public INamedTypeSymbol McpServerToolAttribute { get; }
    public INamedTypeSymbol? McpServerPromptAttribute { get; }
    public INamedTypeSymbol? McpServerResourceAttribute { get; }
    public INamedTypeSymbol? McpServerToolTypeAttribute { get; }
    public INamedTypeSymbol? McpServer { get; }
    public INamedTypeSymbol? IMcpServer { get; }
    public INamedTypeSymbol? RequestContext { get; }
    public INamedTypeSymbol? CallToolRequestParams { get; }
    public INamedTypeSymbol? McpServerOptions { get; }
    public INamedTypeSymbol? StreamableHttpServerTransport { get; }
    public INamedTypeSymbol? SseResponseStreamTransport { get; }
    public INamedTypeSymbol? ProtectedResourceMetadata { get; }
    public INamedTypeSymbol? McpAuthenticationOptions { get; }
    public INamedTypeSymbol? ISessionMigrationHandler { get; }
    public INamedTypeSymbol? McpEndpointRouteBuilderExtensions { get; }
    public INamedTypeSymbol? HttpMcpServerBuilderExtensions { get; }
    public INamedTypeSymbol? McpServerBuilderExtensions { get; }

    // One resolution per compilation for all analyzers (each asks in its compilation-start action): a
    // GetTypeByMetadataName call searches every referenced assembly. Weakly keyed, so nothing outlives the
    // compilation (the pattern of the .NET analyzers' WellKnownTypeProvider).
    private static readonly ConditionalWeakTable<Compilation, Resolution> Cache = new();

    /// <summary>Null when the compilation does not reference the MCP SDK: the caller registers nothing.</summary>
    public static McpSdkSymbols? TryCreate(Compilation compilation)
        => Cache.GetValue(compilation, static c => new Resolution(Resolve(c))).Symbols;

    private static McpSdkSymbols? Resolve(Compilation compilation)
    {
        var toolAttribute = compilation.FindType("ModelContextProtocol.Server.McpServerToolAttribute");
        return toolAttribute is null ? null : new McpSdkSymbols(compilation, toolAttribute);
    }

    private sealed class Resolution
    {
        public Resolution(McpSdkSymbols? symbols) => Symbols = symbols;

        public McpSdkSymbols? Symbols { get; }
    }
}
