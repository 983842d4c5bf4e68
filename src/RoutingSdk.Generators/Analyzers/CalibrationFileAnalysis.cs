using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>Reports RSDK0008 on a <c>routing.calibration.json</c> additional file, at the line and column of each problem.</summary>
internal static class CalibrationFileAnalysis
{
    public static void Analyze(AdditionalFileAnalysisContext context, PlanningContext planning)
    {
        foreach (var diagnostic in planning.CalibrationProblems)
        {
            if (!string.Equals(diagnostic.Location.GetLineSpan().Path, context.AdditionalFile.Path, StringComparison.Ordinal)) continue;
            context.ReportDiagnostic(diagnostic);
        }
    }
}
