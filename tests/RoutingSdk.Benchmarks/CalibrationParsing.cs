using System.Text;
using BenchmarkDotNet.Attributes;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Benchmarks;

/// <summary>
/// Reading a calibration file of many tasks (docs/calibration.md, "Plans from a calibration"): the time must grow
/// linearly with the tasks. Run: <c>dotnet run -c Release --project tests/RoutingSdk.Benchmarks -- --filter '*CalibrationParsing*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class CalibrationParsing
{
    private string _text = "";

    /// <summary>Tasks in the file.</summary>
    [Params(8_000, 32_000, 64_000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder(Tasks * 80);
        text.Append("{\n  \"version\": 1,\n  \"tasks\": {\n");
        for (var i = 0; i < Tasks; i++)
        {
            if (i > 0) text.Append(",\n");
            text.Append("    \"Desk.Task").Append(i).Append("\": { \"chain\": [\"small\", \"frontier\"], \"thresholds\": [0.5] }");
        }

        text.Append("\n  }\n}\n");
        _text = text.ToString();
    }

    [Benchmark]
    public int Parse() => CalibrationFile.Parse(_text).Calibration.Tasks.Count;
}
