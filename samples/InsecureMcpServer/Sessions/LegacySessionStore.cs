using System.Collections.Concurrent;
using System.Globalization;
using ModelContextProtocol.Server;

namespace InsecureMcpServer.Sessions;

/// <summary>Hand-rolled Streamable HTTP sessions for old clients (the SDK's own MapMcp mints secure IDs).</summary>
public sealed class LegacySessionStore(ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, StreamableHttpServerTransport> _transports = new(StringComparer.Ordinal);

    public StreamableHttpServerTransport Open()
    {
        var transport = new StreamableHttpServerTransport(loggerFactory)
        {
            SessionId = Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture),
        };
        _transports[transport.SessionId!] = transport;
        return transport;
    }

    public StreamableHttpServerTransport? Find(string id) => _transports.TryGetValue(id, out var transport) ? transport : null;

    public async Task CloseAsync(string id)
    {
        if (_transports.TryRemove(id, out var transport))
        {
            await transport.DisposeAsync();
        }
    }
}
