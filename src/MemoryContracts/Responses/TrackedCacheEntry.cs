using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// A cache entry of a <see cref="ModuleMemoryCache"/>: on dispose, an entry whose value was set is
/// stored and its size joins the module's heap; one whose value was never set (a <c>GetOrCreate</c>
/// factory that threw) is dropped, as <see cref="MemoryCache"/> drops it, and adds nothing.
/// </summary>
internal sealed class TrackedCacheEntry : ICacheEntry
{
    private readonly ModuleMemoryCache _owner;
    private readonly ICacheEntry _inner;
    private bool _disposed;
    private bool _valueSet;

    public TrackedCacheEntry(ModuleMemoryCache owner, ICacheEntry inner)
    {
        _owner = owner;
        _inner = inner;
    }

    public object Key => _inner.Key;

    public object? Value
    {
        get => _inner.Value;
        set
        {
            _inner.Value = value;
            _valueSet = true;
        }
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
        if (_valueSet)
        {
            _owner.Commit(_inner);
        }
        else
        {
            _inner.Dispose();
        }
    }
}
