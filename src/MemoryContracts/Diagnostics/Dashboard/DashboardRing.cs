namespace MemoryContracts;

/// <summary>
/// A fixed-capacity ring, oldest first: adding to a full ring drops the oldest item. Not thread-safe
/// (<see cref="DashboardHistory"/> guards it); allocates only at construction and in <see cref="ToArray"/>.
/// </summary>
/// <typeparam name="T">The item.</typeparam>
internal sealed class DashboardRing<T>
    where T : struct
{
    private readonly T[] _items;
    private int _start;

    public DashboardRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    /// <summary>Gets the item at <paramref name="index"/> (0 is the oldest).</summary>
    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _items[(_start + index) % _items.Length];
        }
    }

    /// <summary>Adds <paramref name="item"/> as the newest; a full ring drops its oldest first.</summary>
    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            _items[_start] = item;
            _start = (_start + 1) % _items.Length;
            return;
        }

        _items[(_start + Count) % _items.Length] = item;
        Count++;
    }

    /// <summary>Replaces the newest item.</summary>
    /// <exception cref="InvalidOperationException">The ring is empty.</exception>
    public void ReplaceNewest(T item)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The ring is empty.");
        }

        _items[(_start + Count - 1) % _items.Length] = item;
    }

    /// <summary>Drops the <paramref name="count"/> oldest items.</summary>
    public void RemoveOldest(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        for (var i = 0; i < count; i++)
        {
            _items[(_start + i) % _items.Length] = default;
        }

        _start = (_start + count) % _items.Length;
        Count -= count;
    }

    /// <summary>Copies the items, oldest first.</summary>
    public T[] ToArray()
    {
        var copy = new T[Count];
        for (var i = 0; i < Count; i++)
        {
            copy[i] = _items[(_start + i) % _items.Length];
        }

        return copy;
    }
}
