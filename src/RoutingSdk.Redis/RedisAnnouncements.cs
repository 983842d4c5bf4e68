using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RoutingSdk.Redis;

/// <summary>
/// State that every replica keeps in memory and learns of through a channel: subscribes to the channel, and reads the whole
/// state when the replica starts and whenever its connection comes back (announcements made meanwhile were missed).
/// Disposing unsubscribes. Nothing here throws: a replica without Redis keeps its own state.
/// </summary>
internal sealed class RedisAnnouncements : IDisposable
{
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly ILogger _logger;

    /// <summary>
    /// Subscribes <paramref name="onAnnounced"/> to <paramref name="channel"/> and runs <paramref name="load"/> (which must not
    /// throw) now and after every reconnection; <paramref name="what"/> names the state in log warnings.
    /// </summary>
    public RedisAnnouncements(IConnectionMultiplexer redis, RedisChannel channel, Action<RedisValue> onAnnounced, Func<Task> load, ILogger logger, string what)
    {
        _subscriber = redis.GetSubscriber();
        _channel = channel;
        _logger = logger;
        try
        {
            _subscriber.Subscribe(channel, (_, message) => onAnnounced(message));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _logger.LogWarning(ex, "{What} could not subscribe in Redis; until it answers this process keeps its own.", what);
        }

        // Not on the connection's own thread (a reply awaited there would wait for itself).
        redis.ConnectionRestored += (_, _) => Task.Run(load);
        load().GetAwaiter().GetResult();
    }

    /// <summary>Publishes <paramref name="message"/> without waiting (a lost announcement is read at the next reconnection or start).</summary>
    public void Publish(RedisValue message) => _subscriber.Publish(_channel, message, CommandFlags.FireAndForget);

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        try
        {
            _subscriber.Unsubscribe(_channel);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Nothing to undo: the connection is gone.
        }
    }
}
