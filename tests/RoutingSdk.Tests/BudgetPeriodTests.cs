using Microsoft.Extensions.Time.Testing;

namespace RoutingSdk.Tests;

/// <summary>Budget periods only move forward: a clock stepping back never opens a fresh allowance.</summary>
public class BudgetPeriodTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 30, 0, TimeSpan.Zero);

    // A budget of 10 calls an hour at 1 USD a call.
    private static BudgetTracker HourlyTenCalls(TimeProvider time) =>
        new(new RoutingBudget("hourly", 10m) { Period = TimeSpan.FromHours(1) }, time);

    private static int Admit(BudgetTracker tracker, int attempts)
    {
        var admitted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (tracker.TryReserve(1m, out _, out _) is { } window)
            {
                tracker.Settle(window, 1m, 1m);
                admitted++;
            }
        }

        return admitted;
    }

    [Fact]
    public void A_clock_stepping_back_an_hour_does_not_reopen_the_earlier_period()
    {
        var time = new FakeTimeProvider(Start);
        var tracker = HourlyTenCalls(time);
        Assert.Equal(10, Admit(tracker, 15));

        time.AdjustTime(Start.AddHours(-1));          // the clock steps back into the previous hour
        Assert.Equal(0, Admit(tracker, 15));
        Assert.Equal(10m, tracker.Read().Spent);

        time.AdjustTime(Start.AddMinutes(10));        // and forward again within the same hour
        Assert.Equal(0, Admit(tracker, 15));
        Assert.Equal(10m, tracker.Read().Spent);
    }

    [Fact]
    public void Stepping_back_and_forth_across_an_hour_boundary_admits_the_limit_once_per_hour()
    {
        var time = new FakeTimeProvider(Start);
        var tracker = HourlyTenCalls(time);
        var admitted = 0;
        for (var step = 0; step < 6; step++)
        {
            // Alternates between 10:30 and 11:05; only the first move to 11:05 opens a new period.
            time.AdjustTime(step % 2 == 0 ? Start : Start.AddMinutes(35));
            admitted += Admit(tracker, 15);
        }

        Assert.Equal(20, admitted);
    }

    [Fact]
    public void A_reservation_made_before_the_clock_stepped_back_is_released_in_its_own_period()
    {
        var time = new FakeTimeProvider(Start);
        var tracker = HourlyTenCalls(time);
        var window = tracker.TryReserve(4m, out _, out _);
        Assert.NotNull(window);

        time.AdjustTime(Start.AddHours(-2));
        tracker.Settle(window!.Value, 4m, 3m);
        Assert.Equal((3m, 0m), tracker.Read());

        time.AdjustTime(Start);                       // back to the hour the reservation was made in
        Assert.Equal((3m, 0m), tracker.Read());
    }

    [Fact]
    public void Time_moving_forward_still_starts_a_new_period()
    {
        var time = new FakeTimeProvider(Start);
        var tracker = HourlyTenCalls(time);
        Assert.Equal(10, Admit(tracker, 15));
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(10, Admit(tracker, 15));
        Assert.Equal(10m, tracker.Read().Spent);
    }
}
