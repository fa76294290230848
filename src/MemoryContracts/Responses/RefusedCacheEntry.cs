using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// The entry a pressured <see cref="ModuleMemoryCache"/> hands out: it takes every setting and is never
/// committed, so <c>GetOrCreate</c> still returns the value it built but nothing is stored.
/// </summary>
internal sealed class RefusedCacheEntry : ICacheEntry
{
    private List<IChangeToken>? _tokens;
    private List<PostEvictionCallbackRegistration>? _callbacks;

    public RefusedCacheEntry(object key) => Key = key;

    public object Key { get; }

    public object? Value { get; set; }

    public DateTimeOffset? AbsoluteExpiration { get; set; }

    public TimeSpan? AbsoluteExpirationRelativeToNow { get; set; }

    public TimeSpan? SlidingExpiration { get; set; }

    public IList<IChangeToken> ExpirationTokens => _tokens ??= [];

    public IList<PostEvictionCallbackRegistration> PostEvictionCallbacks => _callbacks ??= [];

    public CacheItemPriority Priority { get; set; } = CacheItemPriority.Normal;

    public long? Size { get; set; }

    public void Dispose()
    {
    }
}
