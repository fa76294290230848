using System.Net.Sockets;

namespace MemoryContracts.Tests.Draining;

/// <summary>
/// A <see cref="SocketsHttpHandler"/> that counts, through its <see cref="SocketsHttpHandler.ConnectCallback"/>,
/// the TCP connections it opens and the ones that ended: the server closed it (a read into a non-empty
/// buffer returned end of stream) or the client let it go (after an HTTP/2 GOAWAY, once its streams are
/// done, or after an HTTP/1.1 <c>Connection: close</c>). With the long idle timeout set here, the client
/// never lets a healthy connection go on its own during a test.
/// </summary>
internal sealed class ConnectionCountingHandler
{
    private int _opened;
    private int _ended;

    public ConnectionCountingHandler()
    {
        Handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                Interlocked.Increment(ref _opened);
                return new EndObservingStream(new NetworkStream(socket, ownsSocket: true), () => Interlocked.Increment(ref _ended));
            },
        };
    }

    public SocketsHttpHandler Handler { get; }

    /// <summary>Gets how many connections were opened.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Gets how many connections ended (closed by the server, or let go by the client).</summary>
    public int Ended => Volatile.Read(ref _ended);

    /// <summary>A stream that reports, once, that it ended: end of stream read, or disposed.</summary>
    private sealed class EndObservingStream(Stream inner, Action ended) : Stream
    {
        private int _reported;

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => Observe(count, inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Observe(buffer.Length, await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Observe(count, await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                Report();
            }

            base.Dispose(disposing);
        }

        /// <summary>A read into an empty buffer (HTTP/2 waits for data that way) returns 0 without meaning the end.</summary>
        private int Observe(int asked, int read)
        {
            if (asked > 0 && read == 0)
            {
                Report();
            }

            return read;
        }

        private void Report()
        {
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                ended();
            }
        }
    }
}
