using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using ModelContextProtocol.Server;

namespace SecureMcpServer.Sessions;

/// <summary>
/// Hand-rolled Streamable HTTP sessions for old clients (the SDK's own MapMcp mints secure IDs).
/// Each session is bound to the authenticated user who opened it: a session ID alone identifies nobody.
/// </summary>
public sealed class LegacySessionStore(ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, (string Owner, StreamableHttpServerTransport Transport)> _sessions = new(StringComparer.Ordinal);

    public StreamableHttpServerTransport Open(ClaimsPrincipal user)
    {
        var owner = UserId(user) ?? throw new InvalidOperationException("Sessions are only opened for authenticated users.");
        var transport = new StreamableHttpServerTransport(loggerFactory)
        {
            SessionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
        };
        _sessions[transport.SessionId!] = (owner, transport);
        return transport;
    }

    /// <summary>The session's transport, only for the user who owns it.</summary>
    public StreamableHttpServerTransport? Find(string id, ClaimsPrincipal user)
        => _sessions.TryGetValue(id, out var session) && UserId(user) is { } caller && string.Equals(session.Owner, caller, StringComparison.Ordinal)
            ? session.Transport
            : null;

    public async Task CloseAsync(string id, ClaimsPrincipal user)
    {
        if (Find(id, user) is not null && _sessions.TryRemove(id, out var session))
        {
            await session.Transport.DisposeAsync();
        }
    }

    private static string? UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");
}
