namespace RoutingSdk.Planning.Calibration;

/// <summary>
/// The one rule that walks a chain of tiers: for the answer at a chain position, accept it, escalate to the next
/// position, or skip straight to the last reachable position. The router decides every answer with it at run time; the
/// evaluator's replay and the calibrator's simulation decide recorded answers with it, so that a plan is judged offline
/// exactly as it runs.
/// </summary>
/// <remarks>
/// The walk does not care what the answer's value measures: an acceptor's probability of being right (with the
/// acceptor's <see cref="Acceptor.MinProbability"/> and <see cref="Acceptor.SkipBelow"/>), or a confidence or score
/// against a threshold (with no skip level: <see cref="double.NegativeInfinity"/>). A value of NaN — no confidence, an answer that could not be read — never
/// accepts and never skips. It is a static function of numbers: nothing is allocated.
/// </remarks>
internal static class ChainWalk
{
    /// <summary>Decides the answer at <paramref name="position"/>.</summary>
    /// <param name="position">The chain position that answered.</param>
    /// <param name="end">The end (exclusive) of the positions this walk may reach: the chain's length, or fewer when capped.</param>
    /// <param name="isLast">
    /// Whether this position ends the walk: its answer is accepted at <paramref name="minimum"/>, or rejected with nowhere to
    /// escalate (no skip). A <paramref name="minimum"/> of <see cref="double.NegativeInfinity"/> accepts any last answer,
    /// even one without a value (as the offline replays do: the last tier's recorded answer stands).
    /// </param>
    /// <param name="value">The answer's probability of being right, or its confidence or score; NaN when it has none.</param>
    /// <param name="minimum">The value an answer needs to be accepted.</param>
    /// <param name="skipBelow">
    /// Below this value an answer that is not accepted skips to position <c>end - 1</c>. <see cref="double.NegativeInfinity"/>
    /// never skips (on a log scale every confidence is below 0; for probabilities and 0–1 scores 0 never skips too).
    /// </param>
    /// <returns>
    /// The decision and the position called next: <paramref name="position"/> when accepted, <c>end - 1</c> after a skip,
    /// <c>position + 1</c> otherwise (the caller knows whether a later position is still reachable after a rejected last answer).
    /// </returns>
    public static ChainStep Step(int position, int end, bool isLast, double value, double minimum, double skipBelow)
    {
        if (value >= minimum || (isLast && double.IsNegativeInfinity(minimum))) return new ChainStep(AcceptanceDecision.Accept, position);
        // A skip is only a skip when it passes over a position: from the one before the last it is an escalation.
        if (!isLast && value < skipBelow && end - 1 > position + 1) return new ChainStep(AcceptanceDecision.SkipToLast, end - 1);
        return new ChainStep(AcceptanceDecision.Escalate, position + 1);
    }

    /// <summary>Decides an answer at a position judged by <paramref name="acceptor"/>, from its probability of being right (NaN: none).</summary>
    public static ChainStep Step(int position, int end, Acceptor acceptor, double probability)
        => Step(position, end, isLast: false, probability, acceptor.MinProbability, acceptor.SkipBelow);
}

/// <summary>One step of a <see cref="ChainWalk"/>: what was decided about an answer and which chain position comes next.</summary>
internal readonly struct ChainStep
{
    /// <summary>Creates a step.</summary>
    public ChainStep(AcceptanceDecision decision, int next)
    {
        Decision = decision;
        Next = next;
    }

    /// <summary>What was decided: accept, escalate to the next position, or skip to the last reachable one.</summary>
    public AcceptanceDecision Decision { get; }

    /// <summary>The position that answers (accepted) or is called next (escalated or skipped).</summary>
    public int Next { get; }

    /// <summary>Whether the answer is accepted.</summary>
    public bool Accepted => Decision == AcceptanceDecision.Accept;

    /// <summary>Whether the walk skips the positions between this one and the last reachable one.</summary>
    public bool Skipped => Decision == AcceptanceDecision.SkipToLast;
}
