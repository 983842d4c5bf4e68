using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RoutingSdk.Generators.Model;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>Reports RSDK0008 on a <c>routing.calibration.json</c> additional file, at the line and column of each problem.</summary>
internal static class CalibrationFileAnalysis
{
    public static void Analyze(AdditionalFileAnalysisContext context, PlanningContext planning)
    {
        foreach (var diagnostic in planning.Calibration.Diagnostics)
        {
            if (diagnostic.Location is not { } where || !string.Equals(where.FilePath, context.AdditionalFile.Path, StringComparison.Ordinal)) continue;
            context.ReportDiagnostic(diagnostic.ToDiagnostic(Location.Create(where.FilePath, where.Span, where.LineSpan)));
        }
    }
}
