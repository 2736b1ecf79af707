using Microsoft.Build.Utilities;

namespace Tune.Pipeline.MSBuild;

/// <summary>
/// Every TUNE diagnostic the MSBuild tasks and targets report. IDs are <c>TUNE10xx</c>, clear of the generator's
/// <c>TUNE00xx</c>..<c>TUNE04xx</c>, never reused or renumbered; each is documented in <c>docs/diagnostics/ID.md</c>.
/// </summary>
/// <remarks>The targets file reports <see cref="NotAnExecutable"/> and <see cref="NoPublishTarget"/> itself, with the same link.</remarks>
internal static class TuneDiagnostics
{
    /// <summary>TUNE1001: a <c>TunePipelineModel</c> item names neither an experiment project nor a published folder.</summary>
    public const string ModelNotFound = "TUNE1001";

    /// <summary>TUNE1002: the experiment has not published a model yet.</summary>
    public const string NoPublishedModel = "TUNE1002";

    /// <summary>TUNE1003: a published file is missing or differs from the manifest's size and SHA-256.</summary>
    public const string ModelAltered = "TUNE1003";

    /// <summary>TUNE1004: <c>manifest.json</c> cannot be read as a manifest.</summary>
    public const string ManifestUnreadable = "TUNE1004";

    /// <summary>TUNE1005: a verb of the experiment's executable failed.</summary>
    public const string VerbFailed = "TUNE1005";

    /// <summary>TUNE1006: the experiment project has no built executable to run.</summary>
    public const string NotAnExecutable = "TUNE1006";

    /// <summary>TUNE1007: two models would be copied to the same folder of the output.</summary>
    public const string TargetFolderClash = "TUNE1007";

    /// <summary>TUNE1008: <c>TunePipelinePublishBeforeBuild</c> names an experiment project that does not import these targets.</summary>
    public const string NoPublishTarget = "TUNE1008";

    /// <summary>Gets every ID, for the test that each has a page.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ModelNotFound, NoPublishedModel, ModelAltered, ManifestUnreadable, VerbFailed, NotAnExecutable, TargetFolderClash, NoPublishTarget];

    // The generator's descriptors link to the same folder (DiagnosticDescriptors.HelpLinkBase); each page is named after its ID.
    private const string HelpLinkBase = "https://github.com/tune-pipeline/tune-pipeline/blob/main/docs/diagnostics/";

    /// <summary>Gets the help link of an ID.</summary>
    /// <param name="id">The ID.</param>
    /// <returns>The link to its page.</returns>
    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    /// <summary>Logs a TUNE error with its code and help link, at a file when one is given.</summary>
    /// <param name="log">The task's log.</param>
    /// <param name="id">The diagnostic's ID.</param>
    /// <param name="file">The file the error is about (the project, a manifest), or <see langword="null"/>.</param>
    /// <param name="message">What is wrong, naming the thing, then what to do.</param>
    public static void Error(TaskLoggingHelper log, string id, string? file, string message) =>
        log.LogError(subcategory: null, errorCode: id, helpKeyword: id, helpLink: HelpLink(id), file: file, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: message);
}
