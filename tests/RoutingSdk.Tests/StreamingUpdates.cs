namespace RoutingSdk.Tests;

/// <summary>Streams of updates for the streaming tests: made from a list, and collected back into one.</summary>
internal static class StreamingUpdates
{
    /// <summary>Every update of <paramref name="updates"/>, in order.</summary>
    public static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates) list.Add(update);
        return list;
    }

    /// <summary><paramref name="updates"/> as a stream that yields between updates, as a network stream would.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Updates(params ChatResponseUpdate[] updates)
    {
        foreach (var update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }

    /// <summary>A stream that fails with <paramref name="exception"/> before its first update, as a dropped connection would.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Throwing(Exception exception)
    {
        await Task.Yield();
        throw exception;
#pragma warning disable CS0162 // an iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }
}
