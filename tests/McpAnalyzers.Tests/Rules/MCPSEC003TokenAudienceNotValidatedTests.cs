using System.Threading.Tasks;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC003TokenAudienceNotValidatedTests
{
    /// <summary>
    /// MCPSEC003 has two descriptors (the compilation-end one carries the CompilationEnd tag), so markup
    /// resolves to the first and explicit results name their descriptor.
    /// </summary>
    internal static class Verify
    {
        public static DiagnosticResult Diagnostic() => new(Descriptors.TokenAudienceNotValidated);

        public static DiagnosticResult CompilationEndDiagnostic() => new(Descriptors.TokenAudienceMismatch);

        public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Run(source, OutputKind.DynamicallyLinkedLibrary, expected);

        public static Task VerifyProgramAsync(string source, params DiagnosticResult[] expected) => Run(source, OutputKind.ConsoleApplication, expected);

        public static AnalyzerVerifier<TokenAudienceNotValidatedAnalyzer>.Test CreateTest(OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
        {
            var test = new AnalyzerVerifier<TokenAudienceNotValidatedAnalyzer>.Test { MarkupOptions = MarkupOptions.UseFirstDescriptor };
            test.TestState.OutputKind = outputKind;
            return test;
        }

        private static Task Run(string source, OutputKind outputKind, DiagnosticResult[] expected)
        {
            var test = CreateTest(outputKind);
            test.TestCode = source;
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync();
        }
    }

    private const string OtherApis = "tokens issued for other APIs are accepted";

    // ---- ValidateAudience ----

    [Fact]
    public async Task ValidateAudienceFalseInAddJwtBearerIsFlaggedWithMessage()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.Authority = "https://login.example.com";
                o.TokenValidationParameters.ValidateAudience = false;
            });
            """,
            Verify.Diagnostic().WithSpan(9, 5, 9, 57).WithArguments("'ValidateAudience' is set to false", OtherApis));
    }

    [Fact]
    public async Task ValidateAudienceFalseInObjectInitializerIsFlagged()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    {|MCPSEC003:ValidateAudience = false|},
                };
            });
            """);
    }

    [Fact]
    public async Task ValidateAudienceFalseInConfigureJwtBearerOptionsAndOnALocalIsFlagged()
    {
        await Verify.VerifyAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(IServiceCollection services)
                {
                    services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => {|MCPSEC003:o.TokenValidationParameters.ValidateAudience = false|});
                }

                public static TokenValidationParameters Create()
                {
                    var p = new TokenValidationParameters();
                    {|MCPSEC003:p.ValidateAudience = false|};
                    return p;
                }
            }
            """);
    }

    [Fact]
    public async Task NonConstantValueIsFlaggedAndSaysSo()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
                o.TokenValidationParameters.ValidateAudience = builder.Configuration.GetValue<bool>("Auth:ValidateAudience"));
            """,
            Verify.Diagnostic().WithSpan(8, 5, 8, 113).WithArguments(
                "'ValidateAudience' is set from a non-constant value that is not tied to a development-only condition", OtherApis));
    }

    [Fact]
    public async Task ValueThatIsFalseOutsideDevelopmentIsFlagged()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
                o.TokenValidationParameters.ValidateAudience = builder.Environment.IsDevelopment());
            """,
            Verify.Diagnostic().WithSpan(8, 5, 8, 87).WithArguments("'ValidateAudience' is false outside development", OtherApis));
    }

    [Fact]
    public async Task DevelopmentOnlyConditionsAreNotFlagged()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.IdentityModel.Tokens;

            var builder = WebApplication.CreateBuilder(args);
            var isDevelopment = builder.Environment.IsDevelopment();
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.TokenValidationParameters.ValidateAudience = !builder.Environment.IsDevelopment();
                o.TokenValidationParameters.ValidateAudience = builder.Environment.IsDevelopment() ? false : true;
                o.TokenValidationParameters.ValidateAudience = !isDevelopment;
                o.TokenValidationParameters.ValidateAudience = !builder.Environment.IsEnvironment("Development");
                if (builder.Environment.IsDevelopment())
                {
                    o.TokenValidationParameters.ValidateAudience = false;
                }

                if (!builder.Environment.IsDevelopment())
                {
                }
                else
                {
                    o.TokenValidationParameters.ValidateAudience = false;
                }
            });

            if (builder.Environment.IsDevelopment())
            {
                builder.Services.AddAuthentication().AddJwtBearer("dev", o => o.TokenValidationParameters = new TokenValidationParameters { ValidateAudience = false });
            }

            static void Configure(IWebHostEnvironment env, TokenValidationParameters p)
            {
                if (env.IsDevelopment())
                {
                    p.ValidateAudience = false;
                }
            }
            """);
    }

    [Fact]
    public async Task ValidateAudienceTrueWithAudienceIsNotFlagged()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o =>
                {
                    o.Audience = "https://mcp.example.com";
                    o.TokenValidationParameters.ValidateAudience = true;
                })
                .AddJwtBearer("second", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateAudience = true,
                    ValidAudiences = new[] { "https://mcp.example.com" },
                });
            """);
    }

    [Fact]
    public async Task MicrosoftIdentityWebDefaultsAreNotFlagged()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Identity.Web;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApi(builder.Configuration.GetSection("AzureAd"));
            builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.TokenValidationParameters.NameClaimType = "name");
            """);
    }

    [Fact]
    public async Task MicrosoftIdentityWebAudienceOverrideIsFlagged()
    {
        // The Action<JwtBearerOptions> overload of AddMicrosoftIdentityWebApi also needs OpenIdConnect types,
        // which the test references do not carry; Configure<JwtBearerOptions> is the same override.
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Identity.Web;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApi(builder.Configuration.GetSection("AzureAd"));
            builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => {|MCPSEC003:o.TokenValidationParameters.ValidateAudience = false|});
            """);
    }

    // ---- AudienceValidator ----

    [Fact]
    public async Task AudienceValidatorThatAlwaysReturnsTrueIsFlaggedWithMessage()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
                o.TokenValidationParameters.AudienceValidator = (audiences, token, parameters) => true);
            """,
            Verify.Diagnostic().WithSpan(7, 5, 7, 91).WithArguments("the 'AudienceValidator' delegate always returns true", OtherApis));
    }

    [Fact]
    public async Task AudienceValidatorFormsThatIgnoreTheAudiencesAreFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create(string issuer) => new TokenValidationParameters
                {
                    {|MCPSEC003:AudienceValidator = delegate { return true; }|},
                };

                public static void Configure(TokenValidationParameters p, string issuer)
                {
                    {|MCPSEC003:p.AudienceValidator = (_, token, _) => token.Issuer == issuer|};
                    {|MCPSEC003:p.AudienceValidator = AcceptAll|};
                    {|MCPSEC003:p.AudienceValidator = (audiences, token, _) =>
                    {
                        if (token.Issuer != issuer)
                        {
                            throw new SecurityTokenInvalidIssuerException("wrong issuer");
                        }

                        return true;
                    }|};
                    {|MCPSEC003:p.AudienceValidator = (audiences, token, _) =>
                    {
                        System.Console.WriteLine(string.Join(",", audiences));
                        return true;
                    }|};
                }

                private static bool AcceptAll(IEnumerable<string> audiences, SecurityToken token, TokenValidationParameters p) => true;
            }
            """);
    }

    [Fact]
    public async Task AudienceValidatorThatChecksTheAudiencesIsNotFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p, string resource, System.Func<IEnumerable<string>, SecurityToken, TokenValidationParameters, bool> stored)
                {
                    p.AudienceValidator = (audiences, token, _) => audiences.Contains(resource);
                    p.AudienceValidator = (audiences, token, parameters) =>
                    {
                        Validators.ValidateAudience(audiences, token, parameters);
                        return true;
                    };
                    p.AudienceValidator = Check;
                    p.AudienceValidator = stored.Invoke;
                    p.AudienceValidator = new AudienceValidator(stored);
                }

                private static bool Check(IEnumerable<string> audiences, SecurityToken token, TokenValidationParameters p)
                {
                    if (!audiences.Contains("https://mcp.example.com"))
                    {
                        throw new SecurityTokenInvalidAudienceException("wrong audience");
                    }

                    return true;
                }
            }
            """);
    }

    // ---- ValidAudience(s) against ProtectedResourceMetadata.Resource (compilation end) ----

    private const string McpServerWithResource = """
        using Microsoft.AspNetCore.Authentication.JwtBearer;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.IdentityModel.Tokens;
        using ModelContextProtocol.AspNetCore.Authentication;
        using ModelContextProtocol.Authentication;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.Authority = "https://login.example.com";
        AUDIENCE
            })
            .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = "https://mcp.example.com/" });
        """;

    [Fact]
    public async Task AudiencesMixingTheServerResourceWithAnotherApiAreFlaggedWithMessage()
    {
        await Verify.VerifyProgramAsync(
            McpServerWithResource.Replace("AUDIENCE", """
                    o.TokenValidationParameters.ValidAudiences = new[] { "https://mcp.example.com", "api://downstream-api" };
                """),
            Verify.CompilationEndDiagnostic().WithSpan(13, 5, 13, 109).WithArguments(
                "'ValidAudiences' accepts 'api://downstream-api' besides this MCP server's resource 'https://mcp.example.com'",
                "a token issued for another API is accepted here (the token passthrough door)"));
    }

    [Fact]
    public async Task MixedAudienceListFormsAreFlagged()
    {
        await Verify.VerifyProgramAsync(
            McpServerWithResource.Replace("AUDIENCE", """
                    {|MCPSEC003:o.TokenValidationParameters.ValidAudiences = ["https://mcp.example.com/", "api://other"]|};
                    {|MCPSEC003:o.TokenValidationParameters.ValidAudiences = new System.Collections.Generic.List<string> { "https://mcp.example.com", "api://other" }|};
                """));
    }

    [Fact]
    public async Task ValidAudienceThatDiffersFromTheResourceIsFlaggedWithMessage()
    {
        await Verify.VerifyProgramAsync(
            McpServerWithResource.Replace("AUDIENCE", """
                    o.Audience = "api://my-web-api";
                """),
            Verify.CompilationEndDiagnostic().WithSpan(13, 5, 13, 36).WithArguments(
                "'Audience' is 'api://my-web-api' but ProtectedResourceMetadata.Resource is 'https://mcp.example.com/'",
                "tokens issued for 'api://my-web-api' are accepted and tokens issued for this MCP server are rejected"));
    }

    [Fact]
    public async Task ValidAudienceThatDiffersInAnotherFileIsFlagged()
    {
        var test = Verify.CreateTest(OutputKind.ConsoleApplication);
        test.TestState.Sources.Add(("Program.cs", """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = McpResource.Uri });
            Auth.Configure(builder.Services);
            """));
        test.TestState.Sources.Add(("Auth.cs", """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;

            public static class McpResource
            {
                public const string Uri = "https://mcp.example.com";
            }

            public static class Auth
            {
                public static void Configure(IServiceCollection services)
                    => services.Configure<JwtBearerOptions>(o => o.TokenValidationParameters = new TokenValidationParameters
                    {
                        {|MCPSEC003:ValidAudience = "https://other.example.com"|},
                    });
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task MatchingAudiencesAreNotFlagged()
    {
        await Verify.VerifyProgramAsync(
            McpServerWithResource.Replace("AUDIENCE", """
                    o.Audience = "https://mcp.example.com";
                    o.TokenValidationParameters.ValidAudience = "https://mcp.example.com/";
                    o.TokenValidationParameters.ValidAudiences = new[] { "https://mcp.example.com", "https://mcp.example.com/" };
                    o.TokenValidationParameters.ValidAudiences = new[] { "api://a", "api://b" };
                """));
    }

    [Fact]
    public async Task AudiencesAreNotComparedWhenTheResourceIsNotConstant()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o => o.Audience = "api://my-web-api")
                .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = builder.Configuration["McpServer:Resource"]! });
            """);
    }

    [Fact]
    public async Task AudiencesAreNotComparedWithoutProtectedResourceMetadata()
    {
        await Verify.VerifyProgramAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.Audience = "api://my-web-api";
                o.TokenValidationParameters.ValidAudiences = new[] { "api://a", "api://b" };
            });
            """);
    }

    // ---- Tokens validated by hand ----

    [Fact]
    public async Task HandValidationWithoutAudienceIsFlaggedWithMessage()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using System.Security.Claims;
            using Microsoft.IdentityModel.Tokens;

            public static class TokenCheck
            {
                public static ClaimsPrincipal Validate(string token, SecurityKey key)
                    => new JwtSecurityTokenHandler().ValidateToken(token, new TokenValidationParameters
                    {
                        ValidIssuer = "https://login.example.com",
                        IssuerSigningKey = key,
                    }, out _);
            }
            """,
            Verify.Diagnostic().WithSpan(8, 63, 8, 92).WithArguments(
                "'JwtSecurityTokenHandler.ValidateToken' validates tokens with TokenValidationParameters that set no 'ValidAudience', 'ValidAudiences' or 'AudienceValidator'",
                "nothing binds the token to this MCP server (IdentityModel rejects such tokens with IDX10208 until an audience is set; turning 'ValidateAudience' off instead accepts tokens issued for other APIs)"));
    }

    [Fact]
    public async Task HandValidationThroughALocalWithoutAudienceIsFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class TokenCheck
            {
                public static async Task<bool> ValidateAsync(string token, SecurityKey key)
                {
                    var parameters = {|MCPSEC003:new TokenValidationParameters|} { ValidateAudience = true };
                    parameters.ValidIssuer = "https://login.example.com";
                    parameters.IssuerSigningKey = key;
                    var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
                    return result.IsValid;
                }
            }
            """);
    }

    [Fact]
    public async Task HandValidationWithAudienceOrParametersOutOfSightIsNotFlagged()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using System.Threading.Tasks;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class TokenCheck
            {
                public static async Task<bool> ValidateAsync(string token, SecurityKey key, TokenValidationParameters shared)
                {
                    var handler = new JsonWebTokenHandler();
                    var a = await handler.ValidateTokenAsync(token, new TokenValidationParameters { ValidAudience = "https://mcp.example.com", IssuerSigningKey = key });
                    var parameters = new TokenValidationParameters { IssuerSigningKey = key };
                    parameters.ValidAudiences = new[] { "https://mcp.example.com" };
                    var b = await handler.ValidateTokenAsync(token, parameters);
                    var escaping = new TokenValidationParameters { IssuerSigningKey = key };
                    Configure(escaping);
                    var c = await handler.ValidateTokenAsync(token, escaping);
                    var d = await handler.ValidateTokenAsync(token, shared);
                    var e = await handler.ValidateTokenAsync(token, shared.Clone());
                    var unused = new TokenValidationParameters();
                    new JwtSecurityTokenHandler().ValidateToken(token, new TokenValidationParameters { AudienceValidator = (auds, t, p) => auds is not null && System.Linq.Enumerable.Contains(auds, "x") }, out _);
                    return a.IsValid && b.IsValid && c.IsValid && d.IsValid && e.IsValid;
                }

                private static void Configure(TokenValidationParameters p) => p.ValidAudience = "https://mcp.example.com";
            }
            """);
    }

    [Fact]
    public async Task HandValidationWithAudienceValidationOffIsReportedOnceAtTheFlag()
    {
        await Verify.VerifyAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using System.Security.Claims;
            using Microsoft.IdentityModel.Tokens;

            public static class TokenCheck
            {
                public static ClaimsPrincipal Validate(string token, SecurityKey key)
                    => new JwtSecurityTokenHandler().ValidateToken(token, new TokenValidationParameters
                    {
                        {|MCPSEC003:ValidateAudience = false|},
                        IssuerSigningKey = key,
                    }, out _);
            }
            """);
    }

    // ---- Robustness ----

    [Fact]
    public async Task BrokenCodeDoesNotThrow()
    {
        var test = Verify.CreateTest();
        test.TestCode = """
                using Microsoft.IdentityModel.Tokens;

                public static class Broken
                {
                    public static void Configure(TokenValidationParameters p)
                    {
                        p.ValidateAudience = ;
                        p.AudienceValidator = (a, t, x) => ;
                        p.AudienceValidator = Missing;
                        p.ValidAudiences = new[] { "https://a", Missing };
                        var q = new TokenValidationParameters { ValidateAudience = Unknown() };
                        new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().ValidateToken(, q, out _);
                    }
                }
                """;
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        await test.RunAsync();
    }

    [Fact]
    public async Task ProjectWithoutTheMcpSdkIsNotAnalyzed()
    {
        var test = Verify.CreateTest();
        test.TestCode = """
                using Microsoft.IdentityModel.Tokens;

                public static class NotAnMcpServer
                {
                    public static TokenValidationParameters Create() => new() { ValidateAudience = false };
                }
                """;
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(System.Linq.Enumerable.Where(
            Infrastructure.TestReferences.All,
            r => r.Display is { } path && !System.IO.Path.GetFileName(path).StartsWith("ModelContextProtocol", System.StringComparison.Ordinal)));
        await test.RunAsync();
    }
}
