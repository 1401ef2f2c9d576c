using McpAnalyzers.Rules.PredictableSecrets;
using Xunit;

namespace McpAnalyzers.Tests.Rules;

/// <summary>The name rule of MCPSEC002 (documented in docs/rules/MCPSEC002.md, "The name rule").</summary>
public class MCPSEC002SecretNamesTests
{
    [Theory]
    [InlineData("sessionId", "SessionId")]
    [InlineData("SessionId", "SessionId")]
    [InlineData("_sessionId", "SessionId")]
    [InlineData("m_sessionId", "SessionId")]
    [InlineData("SESSION_ID", "SessionId")]
    [InlineData("SessionID", "SessionId")]
    [InlineData("Mcp-Session-Id", "SessionId")]
    [InlineData("mcpSessionId", "SessionId")]
    [InlineData("state", "OAuthState")]
    [InlineData("_state", "OAuthState")]
    [InlineData("oauthState", "OAuthState")]
    [InlineData("OAuthState", "OAuthState")]
    [InlineData("authorizationState", "OAuthState")]
    [InlineData("csrf_state", "OAuthState")]
    [InlineData("nonce", "Nonce")]
    [InlineData("oidcNonce", "Nonce")]
    [InlineData("cnonce", "Nonce")]
    [InlineData("codeVerifier", "CodeVerifier")]
    [InlineData("code_verifier", "CodeVerifier")]
    [InlineData("PkceVerifier", "CodeVerifier")]
    [InlineData("verifier", "CodeVerifier")]
    [InlineData("authorizationCode", "AuthorizationCode")]
    [InlineData("authCode", "AuthorizationCode")]
    [InlineData("AUTHZ_CODE", "AuthorizationCode")]
    [InlineData("stateMachine", "None")]
    [InlineData("IsValidState", "None")]
    [InlineData("currentState", "None")]
    [InlineData("gameState", "None")]
    [InlineData("sessionIdLength", "None")]
    [InlineData("mysessionid", "None")]
    [InlineData("announce", "None")]
    [InlineData("code", "None")]
    [InlineData("statusCode", "None")]
    [InlineData("tokenVerifier", "None")]
    [InlineData("requestId", "None")]
    [InlineData("", "None")]
    public void Classify(string name, string expected) => Assert.Equal(expected, SecretNames.Classify(name).ToString());

    [Theory]
    [InlineData("state", true)]
    [InlineData("_state", true)]
    [InlineData("s_state", true)]
    [InlineData("oauthState", false)]
    [InlineData("nonce", false)]
    public void IsBareState(string name, bool expected) => Assert.Equal(expected, SecretNames.IsBareState(name));
}
