// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using System.Net.Sockets;

namespace Haven.Testing;

public static class LoopbackPort
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago; a server that loses the race retries with another.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
