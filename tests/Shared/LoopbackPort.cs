using System.Net;
using System.Net.Sockets;

namespace RoutingSdk.Testing;

/// <summary>A free TCP port on the loopback interface, for a server a test or benchmark starts of its own.</summary>
internal static class LoopbackPort
{
    /// <summary>A port the system had free a moment ago (the server started on it next).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
