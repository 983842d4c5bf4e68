using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RoutingSdk.Generators.Tests;

/// <summary>Analyzer config options as MSBuild passes them: <c>build_property.RoutingSdkReport</c> when the property is set.</summary>
internal sealed class BuildPropertyOptions(string? report) : AnalyzerConfigOptionsProvider
{
    private readonly Values _global = new(report is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [CostReportOutput.PropertyKey] = report });

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Values.Empty;

    private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Values Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
