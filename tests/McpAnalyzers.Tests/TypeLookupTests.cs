using System.Linq;
using McpAnalyzers.Symbols;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace McpAnalyzers.Tests;

/// <summary><see cref="TypeLookup.FindType"/> answers as <see cref="Compilation.GetTypeByMetadataName"/> does.</summary>
public class TypeLookupTests
{
    private const string Source = """
        public sealed class GlobalType { public sealed class Nested { } }

        namespace Project.Tools
        {
            public sealed class Tool<T> { }
        }
        """;

    [Theory]
    [InlineData("System.String")]
    [InlineData("System.Collections.Generic.List`1")]
    [InlineData("System.Environment+SpecialFolder")]
    [InlineData("System.Text.Json.Nodes.JsonNode")]
    [InlineData("ModelContextProtocol.Server.McpServerToolAttribute")]
    [InlineData("GlobalType")]
    [InlineData("GlobalType+Nested")]
    [InlineData("Project.Tools.Tool`1")]
    [InlineData("Npgsql.NpgsqlCommand")]
    [InlineData("No.Such.Namespace.Type")]
    [InlineData("System.Management.Automation.PowerShell")]
    [InlineData("System.Text.NoSuchType")]
    [InlineData("Project.Missing.Type")]
    [InlineData("NoSuchGlobalType")]
    public void AnswersAsGetTypeByMetadataName(string metadataName)
    {
        var compilation = Create(TestReferences.All);
        var expected = compilation.GetTypeByMetadataName(metadataName);
        Assert.Equal(expected, compilation.FindType(metadataName), SymbolEqualityComparer.Default);
        Assert.Equal(expected, compilation.FindType(metadataName), SymbolEqualityComparer.Default); // cached
    }

    [Fact]
    public void AbsentNamespacesAreAnsweredWithoutTheLookup()
    {
        var global = Create(TestReferences.All).GlobalNamespace;
        Assert.True(TypeLookup.NamespaceExists(global, "System.Text.Json.Nodes.JsonNode"));
        Assert.True(TypeLookup.NamespaceExists(global, "GlobalType+Nested"));
        Assert.False(TypeLookup.NamespaceExists(global, "No.Such.Namespace.Type"));
        Assert.False(TypeLookup.NamespaceExists(global, "System.Text.NoSuchNamespace.Type"));
    }

    [Fact]
    public void TypesOfAnAliasedReferenceAreAnsweredAsTheCompilerDoes()
    {
        const string Name = "ModelContextProtocol.Server.McpServerToolAttribute";
        var plain = Create(TestReferences.All);
        var sdk = plain.GetMetadataReference(plain.GetTypeByMetadataName(Name)!.ContainingAssembly)!;
        var compilation = Create(TestReferences.All.Select(r => r == sdk ? r.WithAliases(new[] { "Sdk" }) : r));
        // Whatever the compiler's own lookup answers for a type of an aliased reference, FindType answers the same.
        Assert.Equal(compilation.GetTypeByMetadataName(Name), compilation.FindType(Name), SymbolEqualityComparer.Default);
    }

    private static CSharpCompilation Create(System.Collections.Generic.IEnumerable<MetadataReference> references)
        => CSharpCompilation.Create("Lookup", new[] { CSharpSyntaxTree.ParseText(Source) }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
