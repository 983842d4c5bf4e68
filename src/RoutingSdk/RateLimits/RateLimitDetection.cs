using System;
using System.Globalization;
using System.Reflection;

namespace RoutingSdk;

/// <summary>
/// The one place that tells a tier's "too many requests" from its other failures: an HTTP 429 as the Microsoft.Extensions.AI
/// OpenAI client reports it (<c>System.ClientModel.ClientResultException</c> with <c>Status</c> 429, whose raw response carries
/// <c>Retry-After</c> or <c>retry-after-ms</c>), or an <c>HttpRequestException</c> with <c>StatusCode</c> 429 (no headers: no
/// Retry-After). Read by name, so that the runtime references neither client library; inner exceptions are searched too.
/// </summary>
internal static class RateLimitDetection
{
    private const int TooManyRequests = 429;
    private const string ClientResultExceptionName = "System.ClientModel.ClientResultException";

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is a rate limit; <paramref name="retryAfter"/> is the wait the tier asked for, if it said.</summary>
    public static bool IsRateLimit(Exception exception, DateTimeOffset now, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        for (var ex = exception; ex is not null; ex = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : ex.InnerException)
        {
            if (ex.GetType().FullName == ClientResultExceptionName && IntProperty(ex, "Status") == TooManyRequests)
            {
                retryAfter = ClientRetryAfter(ex, now);
                return true;
            }

            if (ex is System.Net.Http.HttpRequestException && IntProperty(ex, "StatusCode") == TooManyRequests) return true;
        }

        return false;
    }

    /// <summary>
    /// A Retry-After value: delta-seconds, or an HTTP date (relative to <paramref name="now"/>); null when absent or unreadable.
    /// <paramref name="milliseconds"/>: the value of <c>retry-after-ms</c> instead.
    /// </summary>
    public static TimeSpan? Parse(string? value, bool milliseconds, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value!.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return number >= 0 && number < 1e9 ? (milliseconds ? TimeSpan.FromMilliseconds(number) : TimeSpan.FromSeconds(number)) : null;
        if (!milliseconds && DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private static TimeSpan? ClientRetryAfter(Exception ex, DateTimeOffset now)
    {
        try
        {
            var response = ex.GetType().GetMethod("GetRawResponse", Type.EmptyTypes)?.Invoke(ex, null);
            var headers = response?.GetType().GetProperty("Headers")?.GetValue(response);
            if (headers is null) return null;
            return Parse(Header(headers, "retry-after-ms"), milliseconds: true, now) ?? Parse(Header(headers, "Retry-After"), milliseconds: false, now);
        }
        catch (Exception)
        {
            return null;   // a client library of another shape: a rate limit without Retry-After
        }
    }

    private static string? Header(object headers, string name)
    {
        var tryGet = headers.GetType().GetMethod("TryGetValue", new[] { typeof(string), typeof(string).MakeByRefType() });
        if (tryGet is null) return null;
        var arguments = new object?[] { name, null };
        return tryGet.Invoke(headers, arguments) is true ? arguments[1] as string : null;
    }

    private static int? IntProperty(Exception ex, string name)
    {
        var value = ex.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(ex);
        return value switch
        {
            int i => i,
            null => null,
            Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
