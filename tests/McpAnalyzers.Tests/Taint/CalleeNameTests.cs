using System.Collections.Generic;
using System.Linq;
using McpAnalyzers.Taint;
using McpAnalyzers.Tests.Infrastructure;
using McpAnalyzers.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace McpAnalyzers.Tests.Taint;

/// <summary>
/// <see cref="CalleeName.Of"/> writes the common case of a path step itself: it must be the symbol display string of
/// <see cref="CalleeName.Format"/> for every method, written or not.
/// </summary>
public class CalleeNameTests
{
    private const string Methods = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public static class Helpers
        {
            public static string Execute(string value) => value;
            public static string NoParameters() => "";
            public static string Keywords(object o, bool b, char c, sbyte sb, byte by, short s, ushort us, int i, uint ui, long l, ulong ul, decimal m, float f, double d, string t) => t;
            public static string Nullable(string? value, int? number) => value ?? "";
            public static string Modifiers(ref string a, out string b, in string c, params string[] rest) { b = a; return c; }
            public static string Generic<T>(T value, List<T> list) => "";
            public static string Types(Uri uri, Task<string> task, IReadOnlyList<string> items, (string, int) pair, nint n, dynamic dyn) => "";
            public static string Extension(this string value, int count) => value;
            public static string @class(string @string) => @string;
            public static string async(string value) => value;
        }

        public sealed class Service
        {
            public Service(string name) { }
            public static Service operator +(Service left, Service right) => left;
            public static implicit operator string(Service service) => "";
            public string this[string key] => key;
            public override string ToString() => "";
            private string LocalFunctionHost(string input)
            {
                return Local(input);
                static string Local(string value) => value;
            }
        }
        """;

    [Fact]
    public void MatchesTheSymbolDisplayOfEveryKindOfMethod()
    {
        var compilation = CSharpCompilation.Create(
            "Callees",
            new[] { CSharpSyntaxTree.ParseText(Methods, RobustnessCompilation.ParseOptions) },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var methods = AllMethods(compilation).ToList();
        var extension = methods.Single(m => m.Name == "Extension");
        methods.Add(extension.ReduceExtensionMethod(compilation.GetSpecialType(SpecialType.System_String))!);

        Assert.Equal("Execute(string)", CalleeName.Of(methods.Single(m => m.Name == "Execute")));
        Assert.True(methods.Count > 15, $"{methods.Count} methods");
        foreach (var method in methods)
        {
            Assert.Equal(method.ToDisplayString(CalleeName.Format), CalleeName.Of(method));
        }
    }

    [Fact]
    public void MatchesTheSymbolDisplayOnTheTestAndSampleCorpus()
    {
        var compared = 0;
        foreach (var unit in RobustnessCorpus.Load())
        {
            foreach (var method in AllMethods(RobustnessCompilation.Create(unit)))
            {
                Assert.Equal(method.ToDisplayString(CalleeName.Format), CalleeName.Of(method));
                compared++;
            }
        }

        Assert.True(compared > 400, $"{compared} methods compared"); // measured: 462
    }

    private static IEnumerable<IMethodSymbol> AllMethods(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (model.GetDeclaredSymbol(node) is IMethodSymbol method)
                {
                    yield return method;
                }
            }
        }
    }
}
