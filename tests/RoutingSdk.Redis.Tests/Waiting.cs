namespace RoutingSdk.Redis.Tests;

/// <summary>Waiting for what another replica learns by announcement or by its next flush.</summary>
internal static class Waiting
{
    /// <summary>Whether <paramref name="condition"/> became true within 10 seconds (polled every 10 ms).</summary>
    public static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(10);
        }

        return true;
    }
}
