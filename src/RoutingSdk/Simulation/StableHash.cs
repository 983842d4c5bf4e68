using System.Text;

namespace RoutingSdk.Simulation;

/// <summary>
/// A hash that is the same on every machine, process and .NET version (unlike <c>string.GetHashCode</c>): 64-bit
/// FNV-1a over UTF-8, finished with the MurmurHash3 mixer so that prompts differing in one character spread evenly.
/// </summary>
internal static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>A uniform draw in [0, 1) from the parts; the same parts always give the same draw.</summary>
    public static double Unit(int seed, string purpose, string tier, string prompt)
        => (Hash(seed, purpose, tier, prompt) >> 11) * (1.0 / (1UL << 53));

    /// <summary>The 64-bit hash of the parts, each followed by a separator byte so that ("ab","c") differs from ("a","bc").</summary>
    public static ulong Hash(int seed, string purpose, string tier, string prompt)
    {
        var hash = OffsetBasis;
        for (var i = 0; i < 4; i++)
        {
            hash = Step(hash, (byte)(seed >> (8 * i)));
        }

        hash = Append(hash, purpose);
        hash = Append(hash, tier);
        hash = Append(hash, prompt);
        return Mix(hash);
    }

    private static ulong Append(ulong hash, string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = Step(hash, b);
        }

        return Step(hash, 0xFF);        // never a UTF-8 byte: an unambiguous separator
    }

    private static ulong Step(ulong hash, byte b) => unchecked((hash ^ b) * Prime);

    private static ulong Mix(ulong h)
    {
        unchecked
        {
            h ^= h >> 33;
            h *= 0xff51afd7ed558ccdUL;
            h ^= h >> 33;
            h *= 0xc4ceb9fe1a85ec53UL;
            h ^= h >> 33;
            return h;
        }
    }
}
