using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>A cache entry of a <see cref="ModuleMemoryCache"/>: on commit, its size joins the module's heap.</summary>
internal sealed class TrackedCacheEntry : ICacheEntry
{
    private readonly ModuleMemoryCache _owner;
    private readonly ICacheEntry _inner;
    private bool _disposed;

    public TrackedCacheEntry(ModuleMemoryCache owner, ICacheEntry inner)
    {
        _owner = owner;
        _inner = inner;
    }

    public object Key => _inner.Key;

    public object? Value
    {
        get => _inner.Value;
        set => _inner.Value = value;
    }

    public DateTimeOffset? AbsoluteExpiration
    {
        get => _inner.AbsoluteExpiration;
        set => _inner.AbsoluteExpiration = value;
    }

    public TimeSpan? AbsoluteExpirationRelativeToNow
    {
        get => _inner.AbsoluteExpirationRelativeToNow;
        set => _inner.AbsoluteExpirationRelativeToNow = value;
    }

    public TimeSpan? SlidingExpiration
    {
        get => _inner.SlidingExpiration;
        set => _inner.SlidingExpiration = value;
    }

    public IList<IChangeToken> ExpirationTokens => _inner.ExpirationTokens;

    public IList<PostEvictionCallbackRegistration> PostEvictionCallbacks => _inner.PostEvictionCallbacks;

    public CacheItemPriority Priority
    {
        get => _inner.Priority;
        set => _inner.Priority = value;
    }

    public long? Size
    {
        get => _inner.Size;
        set => _inner.Size = value;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _owner.Committed(_inner);
        _inner.Dispose();
    }
}
