// The generator's References step per edit: ReferencedTasksReader.Read on a compilation with the net10.0 reference set,
// the RoutingSdk runtime and its dependencies, and two libraries with routed tasks, after each of 2,000 edits of the
// application's source (successive compilations share the referenced assemblies' symbols, as in the IDE).
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
    .Concat(new[]
    {
        typeof(RoutingSdk.TaskRouter).Assembly.Location,
        Path.Combine(Path.GetDirectoryName(typeof(RoutingSdk.TaskRouter).Assembly.Location)!, "RoutingSdk.Planning.dll"),
        typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location,
        typeof(Microsoft.Extensions.AI.IChatClient).Assembly.Location,
    }.Select(path => MetadataReference.CreateFromFile(path)))
    .ToList();
var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
var generator = new RoutingSdk.Generators.RoutedTaskGenerator().AsSourceGenerator();

MetadataReference Library(string name)
{
    var source = $"using RoutingSdk; namespace {name}; public sealed partial class {name}Tasks(TaskRouter router) " +
                 "{ [RoutedTask(TaskKind.Classification, Complexity.Low)] public partial System.Threading.Tasks.Task<string> RunAsync(string text); }";
    var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], references, options);
    CSharpGeneratorDriver.Create(generator).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
    using var image = new MemoryStream();
    var emitted = output.Emit(image);
    if (!emitted.Success) throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
    return MetadataReference.CreateFromImage(image.ToArray());
}

var tree = CSharpSyntaxTree.ParseText("using RoutingSdk; public sealed partial class App(TaskRouter router) " +
    "{ [RoutedTask(TaskKind.Formatting, Complexity.Low)] public partial System.Threading.Tasks.Task<string> FormatAsync(string text); }\n// 0");
Compilation app = CSharpCompilation.Create("App", [tree], references.Append(Library("Billing")).Append(Library("Support")), options);

// ReferencedTasksReader is internal to the generator.
var read = typeof(RoutingSdk.Generators.RoutedTaskGenerator).Assembly.GetType("RoutingSdk.Generators.ReferencedTasksReader")!
    .GetMethod("Read", [typeof(Compilation), typeof(CancellationToken)])!;
object Read(Compilation compilation) => read.Invoke(null, [compilation, CancellationToken.None])!;

for (var i = 0; i < 200; i++) Read(app);
const int Edits = 2000;
var micros = new List<double>(Edits);
for (var i = 0; i < Edits; i++)
{
    var text = tree.GetText();
    var edited = tree.WithChangedText(text.Replace(text.Length - 1, 1, (i % 10).ToString()));
    app = app.ReplaceSyntaxTree(tree, edited);
    tree = edited;
    var watch = Stopwatch.StartNew();
    Read(app);
    micros.Add(watch.Elapsed.TotalMicroseconds);
}

micros.Sort();
Console.WriteLine($"{app.References.Count()} references; per edit over {Edits} edits: median {micros[Edits / 2]:0} us, 90th percentile {micros[Edits * 9 / 10]:0} us, max {micros[^1]:0} us");
