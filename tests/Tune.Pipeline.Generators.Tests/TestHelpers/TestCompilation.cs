using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Tune.Pipeline.Generators.Analyzers;

namespace Tune.Pipeline.Generators.Tests.TestHelpers;

/// <summary>Compiles test sources against the real Core assembly, with nullable on and every warning an error.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "TestExperiments",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(CompleteExperiments(source), ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new SearchSpaceGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and returns the compilation with the generated files, failing on any diagnostic.</summary>
    public static (Compilation Output, GeneratorDriverRunResult Result) Generate(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics, TestContext.Current.CancellationToken);
        Assert.Empty(generatorDiagnostics);
        return (output, driver.GetRunResult());
    }

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, List<Exception> exceptions, CancellationToken cancellationToken)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) =>
            {
                lock (exceptions)
                {
                    exceptions.Add(exception);
                }
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers([new ExperimentAnalyzer(), new ParameterAttributeAnalyzer()], options);
        return await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
    }

    /// <summary>Generates, compiles and loads the sources, returning the named generated search space.</summary>
    public static Tune.Pipeline.SearchSpaces.SearchSpace LoadSpace(string source, string spaceTypeName)
    {
        var (output, _) = Generate(Create(source));
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        stream.Position = 0;

        // A collectible context of its own per load, so that two declarations of the same names can be compared; Core
        // comes from the default context, so the loaded space is a real SearchSpace.
        var context = new AssemblyLoadContext(name: null, isCollectible: true);
        var assembly = context.LoadFromStream(stream);
        var type = assembly.GetType(spaceTypeName, throwOnError: true)!;
        var instance = type.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
        return Assert.IsAssignableFrom<Tune.Pipeline.SearchSpaces.SearchSpace>(instance);
    }

    /// <summary>
    /// Appends, to the end of the source, a partial part for every partial class that lists <c>IExperiment&lt;T&gt;</c>,
    /// implementing its members explicitly.
    /// </summary>
    /// <remarks>
    /// The fixtures declare experiments to test the generator and analyzers, not to run them, so they leave the
    /// contract's members out; without this every fixture would fail with CS0535. Appending keeps the usings and every
    /// markup position of the original text.
    /// </remarks>
    private static string CompleteExperiments(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, ParseOptions).GetCompilationUnitRoot();
        var fileScoped = root.Members.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.FileScopedNamespaceDeclarationSyntax>().Any();
        var parts = new System.Text.StringBuilder();
        foreach (var type in root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>())
        {
            var experiments = (type.BaseList?.Types ?? default)
                .Select(b => b.Type)
                .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GenericNameSyntax>()
                .Where(g => g.Identifier.Text == "IExperiment" && g.TypeArgumentList.Arguments.Count == 1 && !g.TypeArgumentList.Arguments[0].IsMissing && g.TypeArgumentList.Arguments[0] is not Microsoft.CodeAnalysis.CSharp.Syntax.OmittedTypeArgumentSyntax)
                .ToList();
            var containers = type.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>().Reverse().ToList();
            if (experiments.Count == 0 || containers.Any(c => !c.Modifiers.Any(m => m.Text == "partial")))
            {
                continue;
            }

            var body = new System.Text.StringBuilder();
            foreach (var experiment in experiments)
            {
                var parameters = experiment.TypeArgumentList.Arguments[0].ToString();
                body.Append(System.Globalization.CultureInfo.InvariantCulture, $"global::System.Threading.Tasks.ValueTask<global::Tune.Pipeline.TrialResult> global::Tune.Pipeline.IExperiment<{parameters}>.RunTrialAsync({parameters} parameters, global::Tune.Pipeline.TrialContext context, global::System.Threading.CancellationToken cancellationToken) => throw new global::System.InvalidOperationException(\"A fixture is never swept.\");\n");
                body.Append(System.Globalization.CultureInfo.InvariantCulture, $"global::System.Threading.Tasks.ValueTask global::Tune.Pipeline.IExperiment<{parameters}>.RetrainAsync({parameters} parameters, global::Tune.Pipeline.ExperimentContext context, global::System.Threading.CancellationToken cancellationToken) => throw new global::System.InvalidOperationException(\"A fixture is never retrained.\");\n");
            }

            var text = body.ToString();
            foreach (var container in Enumerable.Reverse(containers))
            {
                text = $"partial {container.Keyword.Text} {container.Identifier.Text}{container.TypeParameterList} {{\n{text}}}\n";
            }

            var ns = type.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax>().FirstOrDefault();
            parts.Append(ns is null || fileScoped ? text : $"namespace {ns.Name} {{\n{text}}}\n");
        }

        return parts.Length == 0 ? source : source + Environment.NewLine + parts;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileName(path) is var name
                && (name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll"));
        return
        [
            .. platform.Select(path => MetadataReference.CreateFromFile(path)),
            MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location),
        ];
    }
}
