using System.Threading.Tasks;
using McpAnalyzers.CodeFixes;
using McpAnalyzers.Rules;
using McpAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace McpAnalyzers.Tests.Rules;

public class MCPSEC003TokenAudienceNotValidatedCodeFixTests
{
    private static CodeFixVerifier<TokenAudienceNotValidatedAnalyzer, TokenAudienceNotValidatedCodeFixProvider>.Test CreateTest(
        string source, string fixedSource, OutputKind outputKind)
    {
        // MCPSEC003 has two descriptors (one carries the CompilationEnd tag): markup uses the first.
        var test = new CodeFixVerifier<TokenAudienceNotValidatedAnalyzer, TokenAudienceNotValidatedCodeFixProvider>.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.OutputKind = outputKind;
        test.FixedState.OutputKind = outputKind;
        return test;
    }

    private static Task VerifyProgramFixAsync(string source, string fixedSource)
        => CreateTest(source, fixedSource, OutputKind.ConsoleApplication).RunAsync();

    private static Task VerifyFixAsync(string source, string fixedSource)
        => CreateTest(source, fixedSource, OutputKind.DynamicallyLinkedLibrary).RunAsync();

    // ---- Where the audience comes from ----

    [Fact]
    public async Task ReusesAConstantResourceLiteral()
    {
        await VerifyProgramFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(o =>
                {
                    o.Authority = "https://login.example.com";
                    {|MCPSEC003:o.TokenValidationParameters.ValidateAudience = false|};
                })
                .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = "https://mcp.example.com/" });
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(o =>
                {
                    o.Authority = "https://login.example.com";
                    o.TokenValidationParameters.ValidateAudience = true;
                    o.TokenValidationParameters.ValidAudience = "https://mcp.example.com/";
                })
                .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = "https://mcp.example.com/" });
            """);
    }

    [Fact]
    public async Task ReusesAConstMemberNamedByTheResource()
    {
        await VerifyFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            public static class McpResource
            {
                public const string Uri = "https://mcp.example.com";
            }

            public static class Auth
            {
                public static void Configure(IServiceCollection services)
                {
                    services.AddAuthentication()
                        .AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters
                        {
                            ValidIssuer = "https://login.example.com",
                            {|MCPSEC003:ValidateAudience = false|},
                        })
                        .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = McpResource.Uri });
                }
            }
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            public static class McpResource
            {
                public const string Uri = "https://mcp.example.com";
            }

            public static class Auth
            {
                public static void Configure(IServiceCollection services)
                {
                    services.AddAuthentication()
                        .AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters
                        {
                            ValidIssuer = "https://login.example.com",
                            ValidateAudience = true,
                            ValidAudience = McpResource.Uri,
                        })
                        .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = McpResource.Uri });
                }
            }
            """);
    }

    [Fact]
    public async Task ReusesTheConfigurationKeyTheResourceIsReadFrom()
    {
        await VerifyProgramFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters { {|MCPSEC003:ValidateAudience = false|} })
                .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = builder.Configuration["Mcp:ResourceUri"]! });
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o => o.TokenValidationParameters = new TokenValidationParameters { ValidateAudience = true, ValidAudience = builder.Configuration["Mcp:ResourceUri"] })
                .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = builder.Configuration["Mcp:ResourceUri"]! });
            """);
    }

    [Fact]
    public async Task WithoutResourceReadsTheDefaultKeyFromTheBuilderInAnExpressionLambda()
    {
        await VerifyProgramFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o => {|MCPSEC003:o.TokenValidationParameters.ValidateAudience = false|});
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.TokenValidationParameters.ValidateAudience = true;
                o.TokenValidationParameters.ValidAudience = builder.Configuration["McpServer:Resource"];
            });
            """);
    }

    [Fact]
    public async Task ReadsFromAnIConfigurationParameterWithTheConfiguredKey()
    {
        var test = CreateTest(
            """
            using Microsoft.Extensions.Configuration;
            using Microsoft.IdentityModel.Tokens;

            public sealed class AuthSetup(IConfiguration configuration)
            {
                public TokenValidationParameters Create() => new TokenValidationParameters
                {
                    {|MCPSEC003:ValidateAudience = false|}
                };
            }
            """,
            """
            using Microsoft.Extensions.Configuration;
            using Microsoft.IdentityModel.Tokens;

            public sealed class AuthSetup(IConfiguration configuration)
            {
                public TokenValidationParameters Create() => new TokenValidationParameters
                {
                    ValidateAudience = true,
                    ValidAudience = configuration["Auth:McpResource"]
                };
            }
            """,
            OutputKind.DynamicallyLinkedLibrary);
        test.TestState.AnalyzerConfigFiles.Add(McpTestSetup.EditorConfig("mcpsec.MCPSEC003.resource_config_key = Auth:McpResource"));
        await test.RunAsync();
    }

    [Fact]
    public async Task ReadsFromAnIHostApplicationBuilderParameter()
    {
        await VerifyFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public static class Auth
            {
                public static void Configure(IHostApplicationBuilder builder)
                {
                    builder.Services.AddAuthentication().AddJwtBearer(o =>
                    {
                        {|MCPSEC003:o.TokenValidationParameters.ValidateAudience = false|};
                    });
                }
            }
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public static class Auth
            {
                public static void Configure(IHostApplicationBuilder builder)
                {
                    builder.Services.AddAuthentication().AddJwtBearer(o =>
                    {
                        o.TokenValidationParameters.ValidateAudience = true;
                        o.TokenValidationParameters.ValidAudience = builder.Configuration["McpServer:Resource"];
                    });
                }
            }
            """);
    }

    [Fact]
    public async Task WithoutAnyAudienceSourceOnlyEnablesValidation()
    {
        await VerifyFixAsync(
            """
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p)
                {
                    {|MCPSEC003:p.ValidateAudience = false|};
                }
            }
            """,
            """
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p)
                {
                    p.ValidateAudience = true;
                }
            }
            """);
    }

    [Fact]
    public async Task AnAudienceAlreadySuppliedIsKept()
    {
        await VerifyProgramFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.Audience = builder.Configuration["Auth:Audience"];
                {|MCPSEC003:o.TokenValidationParameters.ValidateAudience = false|};
            });
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication().AddJwtBearer(o =>
            {
                o.Audience = builder.Configuration["Auth:Audience"];
                o.TokenValidationParameters.ValidateAudience = true;
            });
            """);
    }

    [Fact]
    public async Task FlagAndValidatorInOneInitializerAndSeveralFlagsAreFixedTogether()
    {
        var test = CreateTest(
            """
            using Microsoft.Extensions.Configuration;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create(IConfiguration configuration) => new TokenValidationParameters
                {
                    {|MCPSEC003:ValidateAudience = false|},
                    {|MCPSEC003:AudienceValidator = (audiences, token, p) => true|},
                };

                public static void Configure(TokenValidationParameters p, TokenValidationParameters q, IConfiguration configuration)
                {
                    {|MCPSEC003:p.ValidateAudience = false|};
                    {|MCPSEC003:q.ValidateAudience = false|};
                }
            }
            """,
            """
            using Microsoft.Extensions.Configuration;
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static TokenValidationParameters Create(IConfiguration configuration) => new TokenValidationParameters
                {
                    ValidateAudience = true,
                    ValidAudience = configuration["McpServer:Resource"],
                };

                public static void Configure(TokenValidationParameters p, TokenValidationParameters q, IConfiguration configuration)
                {
                    p.ValidateAudience = true;
                    p.ValidAudience = configuration["McpServer:Resource"];
                    q.ValidateAudience = true;
                    q.ValidAudience = configuration["McpServer:Resource"];
                }
            }
            """,
            OutputKind.DynamicallyLinkedLibrary);

        // Two fix kinds (flag and validator) in one document: FixAll runs once per kind.
        test.NumberOfFixAllIterations = 2;
        test.NumberOfFixAllInDocumentIterations = 2;
        test.NumberOfFixAllInProjectIterations = 2;
        await test.RunAsync();
    }

    [Fact]
    public async Task ReusesAStaticReadonlyResourceMember()
    {
        await VerifyFixAsync(
            """
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.Authentication;

            public static class Server
            {
                public static readonly string ResourceUri = System.Environment.GetEnvironmentVariable("MCP_RESOURCE") ?? "https://mcp.example.com";
                public static readonly ProtectedResourceMetadata Metadata = new() { Resource = ResourceUri };
            }

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p)
                {
                    {|MCPSEC003:p.ValidateAudience = false|};
                }
            }
            """,
            """
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.Authentication;

            public static class Server
            {
                public static readonly string ResourceUri = System.Environment.GetEnvironmentVariable("MCP_RESOURCE") ?? "https://mcp.example.com";
                public static readonly ProtectedResourceMetadata Metadata = new() { Resource = ResourceUri };
            }

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p)
                {
                    p.ValidateAudience = true;
                    p.ValidAudience = Server.ResourceUri;
                }
            }
            """);
    }

    // ---- AudienceValidator ----

    [Fact]
    public async Task AudienceValidatorsAreReplacedOrRemoved()
    {
        await VerifyProgramFixAsync(
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o =>
                {
                    {|MCPSEC003:o.TokenValidationParameters.AudienceValidator = (audiences, token, p) => true|};
                })
                .AddJwtBearer("second", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "https://login.example.com",
                    {|MCPSEC003:AudienceValidator = (audiences, token, p) => true|},
                })
                .AddJwtBearer("third", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = "https://mcp.example.com",
                    {|MCPSEC003:AudienceValidator = (audiences, token, p) => true|}
                });
            """,
            """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o =>
                {
                    o.TokenValidationParameters.ValidAudience = builder.Configuration["McpServer:Resource"];
                })
                .AddJwtBearer("second", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "https://login.example.com",
                    ValidAudience = builder.Configuration["McpServer:Resource"],
                })
                .AddJwtBearer("third", o => o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = "https://mcp.example.com"
                });
            """);
    }

    [Fact]
    public async Task AValidatorNestedInAnotherIsRemovedWithIt()
    {
        // Regression (stress run): with a flagged validator inside the body of another, fix-all edited a
        // node that the outer removal had already taken away ("GetCurrentNode returned null").
        await VerifyFixAsync(
            """
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p, string issuer)
                {
                    {|MCPSEC003:p.AudienceValidator = (audiences, token, _) =>
                    {
                        {|MCPSEC003:p.AudienceValidator = (audiences, token, _) => token.Issuer == issuer|};
                        return true;
                    }|};
                    p.ValidIssuer = issuer;
                }
            }
            """,
            """
            using Microsoft.IdentityModel.Tokens;

            public static class Auth
            {
                public static void Configure(TokenValidationParameters p, string issuer)
                {
                    p.ValidIssuer = issuer;
                }
            }
            """);
    }

    // ---- Hand validation ----

    [Fact]
    public async Task HandValidationGetsTheResourceAsAudience()
    {
        await VerifyFixAsync(
            """
            using System.IdentityModel.Tokens.Jwt;
            using System.Security.Claims;
            using System.Threading.Tasks;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.Authentication;

            public static class TokenCheck
            {
                public static readonly ProtectedResourceMetadata Metadata = new() { Resource = "https://mcp.example.com" };

                public static ClaimsPrincipal Validate(string token, SecurityKey key)
                    => new JwtSecurityTokenHandler().ValidateToken(token, {|MCPSEC003:new TokenValidationParameters|}
                    {
                        ValidIssuer = "https://login.example.com",
                        IssuerSigningKey = key,
                    }, out _);

                public static async Task<bool> ValidateAsync(string token)
                {
                    var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, {|MCPSEC003:new TokenValidationParameters|}());
                    return result.IsValid;
                }
            }
            """,
            """
            using System.IdentityModel.Tokens.Jwt;
            using System.Security.Claims;
            using System.Threading.Tasks;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;
            using ModelContextProtocol.Authentication;

            public static class TokenCheck
            {
                public static readonly ProtectedResourceMetadata Metadata = new() { Resource = "https://mcp.example.com" };

                public static ClaimsPrincipal Validate(string token, SecurityKey key)
                    => new JwtSecurityTokenHandler().ValidateToken(token, new TokenValidationParameters
                    {
                        ValidIssuer = "https://login.example.com",
                        IssuerSigningKey = key,
                        ValidAudience = "https://mcp.example.com",
                    }, out _);

                public static async Task<bool> ValidateAsync(string token)
                {
                    var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters() { ValidAudience = "https://mcp.example.com" });
                    return result.IsValid;
                }
            }
            """);
    }

    [Fact]
    public async Task HandValidationWithoutAnyAudienceSourceHasNoFix()
    {
        var source = """
            using System.Threading.Tasks;
            using Microsoft.IdentityModel.JsonWebTokens;
            using Microsoft.IdentityModel.Tokens;

            public static class TokenCheck
            {
                public static async Task<bool> ValidateAsync(string token)
                    => (await new JsonWebTokenHandler().ValidateTokenAsync(token, {|MCPSEC003:new TokenValidationParameters|} { ValidIssuer = "https://login.example.com" })).IsValid;
            }
            """;
        await VerifyFixAsync(source, source);
    }

    [Fact]
    public async Task AudienceMismatchHasNoFix()
    {
        var source = """
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Extensions.DependencyInjection;
            using ModelContextProtocol.AspNetCore.Authentication;
            using ModelContextProtocol.Authentication;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthentication()
                .AddJwtBearer(o => {|MCPSEC003:o.Audience = "api://my-web-api"|})
                .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = "https://mcp.example.com/" });
            """;
        var test = CreateTest(source, source, OutputKind.ConsoleApplication);

        // The framework refuses any fixer invocation for a compilation-end (non-local) diagnostic; this
        // test proves the fixer offers nothing for it.
        test.CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }
}
