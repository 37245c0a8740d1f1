using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Metering.Authorization;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// A pool's sizing, step by step and without a server: it grows when its uses run out before the reservation made
/// ahead arrives, and shrinks after round trips that left most of the runway unused.
/// </summary>
public sealed class ReservationPoolTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private static readonly Dictionary<string, long> Estimate = new() { ["bm_basicsub"] = 1 };

    private int _made;

    private Reservation Made(int uses) => new() { Id = $"com_{_made++}", MaxUses = uses, ExpiresAt = Now.AddHours(1) };

    /// <summary>A pool whose current reservation (of the pool's size) is in place.</summary>
    private ReservationPool NewPool(int min, int max)
    {
        var pool = new ReservationPool(Estimate, min, max);
        pool.Install(Made(min), min, Now, handedOut: 0);
        return pool;
    }

    /// <summary>Takes uses until the pool asks for its next reservation (and so holds its refill gate); returns how many were taken.</summary>
    private static int TakeUntilRefill(ReservationPool pool)
    {
        for (var taken = 1; ; taken++)
        {
            pool.TryTake(Now, Margin, ahead: true, out var refill, out _).Should().NotBeNull();
            if (refill)
            {
                pool.Refill.CurrentCount.Should().Be(0, "the caller told to refill holds the gate");
                return taken;
            }
        }
    }

    /// <summary>Takes <paramref name="count"/> uses while the refill is on its way (none may start another).</summary>
    private static void Take(ReservationPool pool, int count)
    {
        for (var i = 0; i < count; i++)
        {
            pool.TryTake(Now, Margin, ahead: true, out var refill, out _).Should().NotBeNull();
            refill.Should().BeFalse("one refill at a time");
        }
    }

    /// <summary>Takes from the reservation made ahead until it is current, then on until the next refill is asked for.</summary>
    private static void SpendCurrent(ReservationPool pool, int left)
    {
        Take(pool, left);
        TakeUntilRefill(pool);
    }

    /// <summary>
    /// Asks for the refill ahead, then takes the current reservation's <paramref name="left"/> other uses before it
    /// arrives, and finds the pool empty.
    /// </summary>
    private static void RunDryBeforeTheRefill(ReservationPool pool, int left)
    {
        TakeUntilRefill(pool);
        Take(pool, left);
        pool.TryTake(Now, Margin, ahead: true, out _, out _).Should().BeNull("the pool is spent and the refill has not arrived");
    }

    /// <summary>The refill ahead arrives (or failed: null) and its maker lets the gate go, as the strategy does.</summary>
    private int? EndRefill(ReservationPool pool, int? uses)
    {
        var resized = pool.EndRefillAhead(uses is { } u ? Made(u) : null, uses ?? 0, Now);
        pool.Refill.Release();
        return resized;
    }

    /// <summary>A pool of 4 to 100 uses that ran dry before its first refill arrived: its next reservation is for 8.</summary>
    private ReservationPool GrownToEight()
    {
        var pool = NewPool(min: 4, max: 100);
        RunDryBeforeTheRefill(pool, left: 2);
        EndRefill(pool, 4).Should().Be(8);
        return pool;
    }

    [Fact]
    public void A_pool_spent_before_the_reservation_made_ahead_arrives_doubles_its_next_size_up_to_the_maximum()
    {
        var pool = NewPool(min: 4, max: 12);
        RunDryBeforeTheRefill(pool, left: 2);

        EndRefill(pool, 4).Should().Be(8);
        pool.Size.Should().Be(8);

        // Spent again before the next one arrives: twice eight is more than the maximum.
        RunDryBeforeTheRefill(pool, left: 2);
        EndRefill(pool, 8).Should().Be(12);

        // A refill that fails teaches nothing, even with operations waiting for it.
        RunDryBeforeTheRefill(pool, left: 4);
        EndRefill(pool, null).Should().BeNull();
    }

    [Fact]
    public void Two_round_trips_in_a_row_that_left_most_of_the_runway_unused_halve_it_down_to_the_configured_size()
    {
        var pool = NewPool(min: 32, max: 1000);
        RunDryBeforeTheRefill(pool, left: 16);
        EndRefill(pool, 64).Should().Be(64);

        // The 64-use reservation: its refill arrives after one use of the 32 left (a sixteenth is two): ample, once.
        SpendCurrent(pool, 0);
        Take(pool, 1);
        EndRefill(pool, 64).Should().BeNull("one ample round trip is not enough to shrink");

        // The next round trip used three of the 32 left: more than a sixteenth, so the count starts again.
        SpendCurrent(pool, 31);
        Take(pool, 3);
        EndRefill(pool, 64).Should().BeNull();

        // Two ample ones in a row halve the size, and never below the configured 32.
        SpendCurrent(pool, 29);
        EndRefill(pool, 64).Should().BeNull();
        SpendCurrent(pool, 32);
        Take(pool, 2);
        EndRefill(pool, 64).Should().Be(32);

        // The uses left of the current reservation each time: then 32-use reservations, refilled ahead at 16 left.
        foreach (var left in (int[])[30, 32, 16, 16])
        {
            SpendCurrent(pool, left);
            EndRefill(pool, 32).Should().BeNull();
        }

        pool.Size.Should().Be(32);
    }

    [Fact]
    public void A_wallet_that_cannot_hold_a_grown_pool_sends_the_size_back_to_the_configured_one_even_with_operations_waiting()
    {
        var pool = GrownToEight();

        RunDryBeforeTheRefill(pool, left: 2);
        pool.Refused();

        EndRefill(pool, null).Should().Be(4, "the wallet refused eight uses; operations waiting do not double it back");
    }

    [Fact]
    public void Operations_that_find_the_pool_empty_while_a_caller_reserves_for_it_double_the_next_size_too()
    {
        // Without this, a pool that runs dry stays in that regime: the uses of the reservation a waiting caller made are
        // gone before its row is stored, the next caller waits again, and no refill ahead ever starts.
        var pool = NewPool(min: 10, max: 1000);
        for (var i = 0; i < 10; i++)
        {
            pool.TryTake(Now, Margin, ahead: false, out _, out _).Should().NotBeNull();
        }

        pool.TryTake(Now, Margin, ahead: true, out _, out _).Should().BeNull("no refill ahead was on its way: the pool is simply empty");
        pool.Refill.Wait(0).Should().BeTrue();
        pool.BeginReserving().Should().Be(10, "the spent reservation served all its uses");
        pool.Install(Made(10), 10, Now, handedOut: 1);
        for (var i = 1; i < 10; i++)
        {
            pool.TryTake(Now, Margin, ahead: true, out var refill, out _).Should().NotBeNull();
            refill.Should().BeFalse("the reservation being made is not finished until its row is stored");
        }

        pool.TryTake(Now, Margin, ahead: true, out _, out _).Should().BeNull();
        pool.EndReserving(made: true).Should().Be(20);

        // A reserve that failed, with an operation waiting: no growth (an outage is not demand).
        pool.BeginReserving();
        pool.TryTake(Now, Margin, ahead: true, out _, out _).Should().BeNull();
        pool.EndReserving(made: false).Should().BeNull();
    }

    [Fact]
    public void A_reservation_that_expires_less_than_half_used_brings_the_size_down_to_the_uses_it_served()
    {
        var pool = GrownToEight();
        RunDryBeforeTheRefill(pool, left: 2);
        EndRefill(pool, 8).Should().Be(16);

        // The eight-use reservation is spent; the 16-use one made ahead serves three uses, then the customer stops.
        TakeUntilRefill(pool);
        EndRefill(pool, 16).Should().BeNull();
        Take(pool, 4 + 3);
        pool.TryTake(Now.AddHours(1), Margin, ahead: true, out _, out _).Should().BeNull("it expired");

        pool.BeginReserving().Should().Be(4, "three uses in its whole life, and never below the configured four");
        pool.Size.Should().Be(4);
    }

    [Fact]
    public void With_the_maximum_at_the_configured_size_a_starved_pool_keeps_its_size()
    {
        var pool = NewPool(min: 4, max: 4);
        RunDryBeforeTheRefill(pool, left: 2);

        EndRefill(pool, 4).Should().BeNull();
        pool.Size.Should().Be(4);
    }
}
