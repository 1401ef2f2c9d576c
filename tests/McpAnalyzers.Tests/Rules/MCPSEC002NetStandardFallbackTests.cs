using System;
using System.IO;
using System.Threading.Tasks;
using McpAnalyzers.CodeFixes;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace McpAnalyzers.Tests.Rules;

/// <summary>
/// MCPSEC002's fix on a netstandard2.0 project (the MCP SDK ships a netstandard2.0 build): no
/// <c>RandomNumberGenerator.GetBytes(int)</c> and no <c>Convert.ToHexString</c>, so the fix adds a
/// <c>RandomNumberGenerator.Create()</c>-based helper. Compiled against the real netstandard.dll and the SDK's
/// netstandard2.0 assembly from the local NuGet cache (restored for the analyzer projects and the tests).
/// </summary>
public class MCPSEC002NetStandardFallbackTests
{
    private static readonly string NuGetRoot = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static MetadataReference NetStandard => Reference("netstandard.library", "2.0.3", "build/netstandard2.0/ref/netstandard.dll");

    private static MetadataReference McpCore => Reference("modelcontextprotocol.core", "2.4.0", "lib/netstandard2.0/ModelContextProtocol.Core.dll");

    private static MetadataReference Reference(string package, string version, string path)
    {
        var file = Path.Combine(NuGetRoot, package, version, path);
        Assert.True(File.Exists(file), $"{file} is missing: run 'dotnet restore' for the solution first.");
        return MetadataReference.CreateFromFile(file);
    }

    [Fact]
    public void SelectionFollowsTheApisInTheCompilation()
    {
        var netStandard = CSharpCompilation.Create("ns", references: new[] { NetStandard });
        var net10 = CSharpCompilation.Create("net", references: TestReferences.All);
        var nothing = CSharpCompilation.Create("none");

        Assert.Equal(CsprngApi.CreateInstance, CsprngExpressions.Select(netStandard));
        Assert.False(CsprngExpressions.HasFill(netStandard));
        Assert.Equal(CsprngApi.StaticGetBytes, CsprngExpressions.Select(net10));
        Assert.True(CsprngExpressions.HasFill(net10));
        Assert.Equal(CsprngApi.None, CsprngExpressions.Select(nothing));
    }

    [Fact]
    public async Task StringTargets_UseBase64OfAHelperAddedOnce()
    {
        var test = new CSharpCodeFixTest<PredictableSessionIdAnalyzer, PredictableSessionIdCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("netstandard2.0"),
            TestCode = """
                using System;

                public class OAuthClient
                {
                    private string _state = "";
                    private long _nonce;

                    public void Begin(Random random)
                    {
                        {|MCPSEC002:_state = random.Next().ToString()|};
                        {|MCPSEC002:_nonce = DateTime.UtcNow.Ticks|};
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Security.Cryptography;

                public class OAuthClient
                {
                    private string _state = "";
                    private long _nonce;

                    public void Begin(Random random)
                    {
                        _state = Convert.ToBase64String(CreateSecureRandomBytes(32));
                        _nonce = BitConverter.ToInt64(CreateSecureRandomBytes(8), 0);
                    }

                    private static byte[] CreateSecureRandomBytes(int count)
                    {
                        var bytes = new byte[count];
                        using (var generator = RandomNumberGenerator.Create())
                        {
                            generator.GetBytes(bytes);
                        }

                        return bytes;
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(NetStandard);
        test.TestState.AdditionalReferences.Add(McpCore);
        await test.RunAsync();
    }

    [Fact]
    public async Task NextBytes_HasNoFixWithoutRandomNumberGeneratorFill()
    {
        const string source = """
            using System;

            public class Pkce
            {
                private readonly byte[] _codeVerifier = new byte[32];

                public void Fill(Random random) => {|MCPSEC002:random.NextBytes(_codeVerifier)|};
            }
            """;
        var test = new CSharpCodeFixTest<PredictableSessionIdAnalyzer, PredictableSessionIdCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("netstandard2.0"),
            TestCode = source,
            FixedCode = source,
        };
        test.TestState.AdditionalReferences.Add(NetStandard);
        test.TestState.AdditionalReferences.Add(McpCore);
        await test.RunAsync();
    }
}
