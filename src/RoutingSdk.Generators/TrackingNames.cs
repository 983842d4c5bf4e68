namespace RoutingSdk.Generators;

/// <summary>Names of the pipeline steps, so the caching test can find them.</summary>
internal static class TrackingNames
{
    public const string Tasks = nameof(Tasks);
    public const string TierAttributes = nameof(TierAttributes);
    public const string Catalog = nameof(Catalog);
    public const string Calibration = nameof(Calibration);
    public const string Planned = nameof(Planned);
    public const string AllPlanned = nameof(AllPlanned);
    public const string Arranged = nameof(Arranged);
    public const string Types = nameof(Types);
    public const string Assembly = nameof(Assembly);
    public const string ReportEnabled = nameof(ReportEnabled);
    public const string References = nameof(References);
}
