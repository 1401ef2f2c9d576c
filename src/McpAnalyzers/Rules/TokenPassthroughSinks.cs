using System;
using System.Collections.Generic;
using McpAnalyzers.Symbols;
using McpAnalyzers.Taint;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace McpAnalyzers.Rules;

/// <summary>
/// MCPSEC001 (token passthrough): where an incoming credential becomes the credential of an outgoing request.
/// Sinks: the <c>HttpRequestHeaders.Authorization</c> setter (also <c>client.DefaultRequestHeaders.Authorization</c>),
/// <c>new AuthenticationHeaderValue(scheme, parameter)</c> (the parameter), <c>AuthenticationHeaderValue.Parse/TryParse</c>,
/// <c>HttpHeaders.Add/TryAddWithoutValidation("Authorization", value)</c>, Azure SDK credentials built from a raw
/// token (<c>new Azure.Core.AccessToken(token, expiresOn)</c>), and the MCP client's
/// <c>HttpClientTransportOptions.AdditionalHeaders</c> (an MCP server calling another MCP server).
/// Sanitiser: an <c>AuthenticationHeaderValue</c> built from the token is reported where it is built, so
/// assigning it to <c>Authorization</c> afterwards is not a second diagnostic.
/// Not sinks, by construction: on-behalf-of and token exchange APIs (<c>new UserAssertion(token)</c>,
/// <c>ITokenAcquisition</c>, <c>IAuthorizationHeaderProvider</c>, <c>AcquireTokenOnBehalfOf</c>, an RFC 8693
/// <c>subject_token</c> form field): the engine treats results of external calls as clean, so a token they
/// return is not the incoming one.
/// </summary>
internal static class TokenPassthroughSinks
{
    public static TaintRuleSpec Create(Compilation compilation, Func<IOperation, bool> isAuthorizationName)
    {
        var sinks = new List<TaintSink>();
        var sanitizers = new List<TaintSanitizer>();
        if (compilation.FindType("System.Net.Http.Headers.HttpRequestHeaders") is { } requestHeaders)
        {
            sinks.Add(new PropertySetSink(requestHeaders, "Authorization"));
        }

        // An Azure SDK credential built from a raw token (new AccessToken(token, expiresOn) returned by a custom
        // TokenCredential): every Azure client then sends the client's token downstream.
        if (compilation.FindType("Azure.Core.AccessToken") is { } azureAccessToken)
        {
            sinks.Add(new ConstructorSink(azureAccessToken, p => p.Name == "accessToken"));
        }

        if (compilation.FindType("System.Net.Http.Headers.AuthenticationHeaderValue") is { } headerValue)
        {
            sinks.Add(new ConstructorSink(headerValue, p => p.Name == "parameter"));
            sinks.Add(MethodSink.Named(headerValue, new[] { "Parse", "TryParse" }, p => p.Name == "input"));
            sanitizers.Add(new CustomSanitizer((operation, _) =>
                operation is IObjectCreationOperation { Type: { } type } && SymbolEqualityComparer.Default.Equals(type, headerValue)));
        }

        if (compilation.FindType("System.Net.Http.Headers.HttpHeaders") is { } httpHeaders)
        {
            sinks.Add(new CustomSink((operation, _, inputs) =>
            {
                if (operation is IInvocationOperation { TargetMethod: { Name: "Add" or "TryAddWithoutValidation" } method } invocation
                    && TaintSink.IsOrDerivesFrom(method.ContainingType, httpHeaders)
                    && invocation.Arguments.Length == 2
                    && isAuthorizationName(invocation.Arguments[0].Value))
                {
                    var receiver = invocation.Instance?.Type?.Name ?? method.ContainingType.Name;
                    inputs.Add(new SinkInput(invocation.Arguments[1].Value, receiver + "." + method.Name + "(\"Authorization\", ...)"));
                }
            }));
        }

        if (compilation.FindType("ModelContextProtocol.Client.HttpClientTransportOptions") is { } transportOptions)
        {
            // new HttpClientTransportOptions { AdditionalHeaders = headers }, options.AdditionalHeaders["Authorization"] = ...,
            // options.AdditionalHeaders.Add(...): every header an MCP client sends downstream.
            sinks.Add(new PropertySetSink(transportOptions, "AdditionalHeaders"));
            sinks.Add(new CustomSink((operation, _, inputs) =>
            {
                switch (operation)
                {
                    case IAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } dictionary } } assignment
                        when IsAdditionalHeaders(dictionary, transportOptions):
                        inputs.Add(new SinkInput(assignment.Value, "HttpClientTransportOptions.AdditionalHeaders"));
                        break;
                    case IInvocationOperation { TargetMethod.Name: "Add" or "TryAdd", Instance: { } dictionary } invocation
                        when invocation.Arguments.Length == 2 && IsAdditionalHeaders(dictionary, transportOptions):
                        inputs.Add(new SinkInput(invocation.Arguments[1].Value, "HttpClientTransportOptions.AdditionalHeaders"));
                        break;
                }
            }));
        }

        return new TaintRuleSpec(Descriptors.TokenPassthrough, sinks, sanitizers);
    }

    private static bool IsAdditionalHeaders(IOperation dictionary, INamedTypeSymbol transportOptions)
        => dictionary is IPropertyReferenceOperation { Property: { Name: "AdditionalHeaders" } property }
            && SymbolEqualityComparer.Default.Equals(property.ContainingType, transportOptions);
}
