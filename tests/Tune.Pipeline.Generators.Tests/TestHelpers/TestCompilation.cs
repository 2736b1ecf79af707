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
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
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
