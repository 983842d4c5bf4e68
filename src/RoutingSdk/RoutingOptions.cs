using System;
using System.Collections.Generic;

namespace RoutingSdk;

/// <summary>
/// How the <see cref="TaskRouter"/> scores answers, picks start tiers, keeps budgets and reports telemetry. Configured
/// with <c>services.AddRoutingSdk(o => ...)</c> (any number of times, in any order with <c>AddRoutedTasks()</c>) or
/// passed to the router's constructor. Read when the router is created; change it before that.
/// </summary>
public sealed class RoutingOptions
{
    /// <summary>
    /// The scorers asked for every parsed answer; the lowest opinion is the answer's score (1 when none has one).
    /// Default: <see cref="AnswerScorers.ReportedConfidence"/>, <see cref="AnswerScorers.SelfReported"/> and
    /// <see cref="AnswerScorers.LogProbabilities"/> (token log-probabilities a tier client puts in the response's
    /// <c>logprobs</c> property); each has no opinion on a response without its signal. Add your own here; scorers
    /// registered in the service collection as <see cref="IAnswerScorer"/> are added to these.
    /// </summary>
    public IList<IAnswerScorer> Scorers { get; } = new List<IAnswerScorer> { AnswerScorers.ReportedConfidence, AnswerScorers.SelfReported, AnswerScorers.LogProbabilities() };

    /// <summary>
    /// Picks the start tier of <see cref="Escalation.Classifier"/> tasks. Null (the default): an
    /// <see cref="ITierClassifier"/> registered in the service collection, else <see cref="HeuristicTierClassifier.Default"/>.
    /// </summary>
    public ITierClassifier? Classifier { get; set; }

    /// <summary>Spending limits, per task or overall, per period. Empty by default.</summary>
    public IList<RoutingBudget> Budgets { get; } = new List<RoutingBudget>();

    /// <summary>
    /// Where budgets keep their spending. Null (the default): an <see cref="IBudgetStore"/> registered in the service
    /// collection (RoutingSdk.Redis registers one shared by every replica), else an <see cref="InProcessBudgetStore"/>.
    /// </summary>
    public IBudgetStore? BudgetStore { get; set; }

    /// <summary>
    /// The tiers skipped after a rate limit. Null (the default): an <see cref="ITierCooldowns"/> registered in the service
    /// collection (RoutingSdk.Redis registers one shared by every replica), else an <see cref="InProcessTierCooldowns"/>.
    /// </summary>
    public ITierCooldowns? TierCooldowns { get; set; }

    /// <summary>
    /// How long a tier that answered 429 without a Retry-After is skipped (with a Retry-After, that long). Default 5 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan RateLimitCooldown
    {
        get => _rateLimitCooldown;
        set => _rateLimitCooldown = value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RateLimitCooldown), value, "RoutingOptions.RateLimitCooldown must not be negative.");
    }

    private TimeSpan _rateLimitCooldown = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long disposing the <see cref="TaskRouter"/> waits for its work in the background to end: shadow calls, calibration
    /// samples and the bookings of late answers (tier calls the caller stopped waiting for). Work still in flight then goes on
    /// unwaited: what it spends is booked if it completes and the ledger still takes it, else not charged. Zero: no wait;
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit. Default 10 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than infinite) or above <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan ShutdownTimeout
    {
        get => _shutdownTimeout;
        set => _shutdownTimeout = value == System.Threading.Timeout.InfiniteTimeSpan || (value >= TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), value, "RoutingOptions.ShutdownTimeout must be zero or positive (at most int.MaxValue milliseconds), or Timeout.InfiniteTimeSpan.");
    }

    private TimeSpan _shutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The clock budget periods are measured on. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// When true the router asks every tier for its own confidence: it adds an instruction to end the answer with a confidence line
    /// to the system message and reads the last line <c>Confidence: 0.8</c> off the answer before parsing it
    /// (<see cref="AnswerScorers.SelfReported"/> scores it). Default false.
    /// </summary>
    public bool AskForConfidence { get; set; }

    /// <summary>
    /// The score the answer of the chain's last tier needs (0–1). The last tier has nowhere to escalate, so by default
    /// (0) its parsable answer is accepted whatever its score: it is the best the chain can do. Raise it to turn an answer
    /// nobody is confident in into a <see cref="RoutingFailedException"/> instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or outside 0–1.</exception>
    public double LastTierMinimumScore
    {
        get => _lastTierMinimumScore;
        set => _lastTierMinimumScore = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LastTierMinimumScore), value, $"RoutingOptions.LastTierMinimumScore must be a score from 0 to 1; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    private double _lastTierMinimumScore;

    /// <summary>
    /// When true, spans carry the prompt (<c>gen_ai.input.messages</c>) and the answer (<c>gen_ai.output.messages</c>).
    /// Default false: tags, spans and exceptions carry task and tier names, models, token counts and costs only.
    /// </summary>
    public bool RecordContent { get; set; }

    /// <summary>
    /// The shadow guardrail: a sampled share of the calls accepted below the chain's last tier is also sent to the last
    /// tier in the background, and a task whose answers stop agreeing with it is tightened (see <see cref="ShadowOptions"/>).
    /// Null (the default): off.
    /// </summary>
    public ShadowOptions? Shadow { get; set; }
}

/// <summary>One <c>AddRoutingSdk(o => ...)</c> configuration, applied to the <see cref="RoutingOptions"/> singleton when it is created.</summary>
internal sealed class RoutingOptionsConfiguration
{
    public RoutingOptionsConfiguration(Action<RoutingOptions> configure) => Configure = configure;

    public Action<RoutingOptions> Configure { get; }
}
