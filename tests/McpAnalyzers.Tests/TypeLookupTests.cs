using System.Collections.Generic;
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

    /// <summary>
    /// Every third type of the merged global namespace (the BCL, ASP.NET Core, the MCP SDK and the other test references:
    /// duplicated internal types, generics, nested types), by its metadata name: the same answer as the compiler's lookup.
    /// </summary>
    [Fact]
    public void AnswersAsGetTypeByMetadataNameForTheTypesOfEveryReference()
    {
        var compilation = Create(TestReferences.All);
        var names = new List<string>();
        Collect(compilation.GlobalNamespace, names);
        var compared = 0;
        for (var i = 0; i < names.Count; i += 3)
        {
            Assert.True(
                SymbolEqualityComparer.Default.Equals(compilation.GetTypeByMetadataName(names[i]), compilation.FindType(names[i])),
                names[i]);
            compared++;
        }

        Assert.True(compared > 7000, $"{compared} names compared"); // measured: 7749
    }

    private static void Collect(INamespaceSymbol ns, List<string> names)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child)
            {
                Collect(child, names);
            }
            else if (member is INamedTypeSymbol type)
            {
                Collect(type, (ns.IsGlobalNamespace ? "" : ns.ToDisplayString() + ".") + type.MetadataName, names);
            }
        }
    }

    private static void Collect(INamedTypeSymbol type, string name, List<string> names)
    {
        names.Add(name);
        foreach (var nested in type.GetTypeMembers())
        {
            Collect(nested, name + "+" + nested.MetadataName, names);
        }
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
