using System.Diagnostics.Tracing;

namespace MemoryContracts;

/// <summary>
/// An in-process <see cref="EventListener"/> on the runtime's randomized allocation sampling (.NET 10):
/// enables the <c>AllocationSampled</c> event (provider <c>Microsoft-Windows-DotNETRuntime</c>,
/// keyword <c>0x80000000000</c>, Informational) and records each sample's <c>TypeName</c> and
/// <c>ObjectSize</c> in an <see cref="AllocationProfile"/>. The runtime samples only while a listener
/// has the keyword on: dispose the listener and allocation costs nothing extra again. Events may be
/// delivered on any thread; the profile is thread-safe.
/// </summary>
internal sealed class AllocationSamplingListener(AllocationProfile profile) : EventListener
{
    /// <summary>The runtime's event provider.</summary>
    public const string RuntimeProviderName = "Microsoft-Windows-DotNETRuntime";

    /// <summary>The keyword of the <c>AllocationSampled</c> event.</summary>
    public const EventKeywords AllocationSamplingKeyword = (EventKeywords)0x80000000000;

    /// <summary>The event's name.</summary>
    public const string AllocationSampledEventName = "AllocationSampled";

    /// <summary>The event's id in the runtime's manifest.</summary>
    public const int AllocationSampledEventId = 303;

    // Assigned by the field initializer, which runs before the base constructor: EventListener's
    // constructor calls OnEventSourceCreated for existing sources, so events can arrive before a
    // constructor body would have run.
    private readonly AllocationProfile _profile = profile;

    /// <summary>Gets how many events could not be read (no <c>ObjectSize</c> in the payload).</summary>
    public long UnreadableEvents => Interlocked.Read(ref _unreadable);

    private long _unreadable;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProviderName)
        {
            EnableEvents(eventSource, EventLevel.Informational, AllocationSamplingKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationSampledEventId && eventData.EventName != AllocationSampledEventName)
        {
            return;
        }

        var names = eventData.PayloadNames;
        var payload = eventData.Payload;
        if (names is null || payload is null)
        {
            Interlocked.Increment(ref _unreadable);
            return;
        }

        var sizeIndex = names.IndexOf("ObjectSize");
        var typeIndex = names.IndexOf("TypeName");
        if (sizeIndex < 0 || sizeIndex >= payload.Count || !TryReadSize(payload[sizeIndex], out var size))
        {
            Interlocked.Increment(ref _unreadable);
            return;
        }

        var typeName = typeIndex >= 0 && typeIndex < payload.Count ? payload[typeIndex] as string : null;
        _profile?.Record(typeName, size);
    }

    private static bool TryReadSize(object? value, out long size)
    {
        switch (value)
        {
            case ulong u:
                size = u > long.MaxValue ? long.MaxValue : (long)u;
                return true;
            case long l:
                size = l;
                return true;
            case uint ui:
                size = ui;
                return true;
            case int i:
                size = i;
                return true;
            default:
                size = 0;
                return false;
        }
    }
}
