using Microsoft.CodeAnalysis;

namespace Tune.Pipeline.Generators;

/// <summary>
/// Every TUNE diagnostic. IDs are grouped by area and never reused or renumbered: <c>TUNE01xx</c> experiment class
/// shape, <c>TUNE02xx</c> parameter attributes (<c>TUNE10xx</c> are the MSBuild tasks', in Tune.Pipeline.MSBuild's
/// <c>TuneDiagnostics</c>). Each message names the offending thing and value, then says how to fix it. Error where no
/// code can be generated; Warning where code is generated but is probably wrong. Each ID has its page in
/// <c>docs/diagnostics/</c>, which the help link opens.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string ExperimentCategory = "Tune.Pipeline.Experiment";
    private const string ParameterCategory = "Tune.Pipeline.Parameters";
    private const string HelpLinkBase = "https://github.com/tune-pipeline/tune-pipeline/blob/main/docs/diagnostics/";

    /// <summary>TUNE0101: the experiment class is not partial.</summary>
    public static readonly DiagnosticDescriptor ExperimentNotPartial = Error(
        "TUNE0101",
        "Experiment class must be partial",
        "Experiment class '{0}' is not partial. Add the partial modifier to its declaration.",
        ExperimentCategory);

    /// <summary>TUNE0102: the parameters type, or a type containing it, is not partial.</summary>
    public static readonly DiagnosticDescriptor ParametersTypeNotPartial = Error(
        "TUNE0102",
        "Parameters type must be partial",
        "Type '{0}' is not partial, so the generator cannot add ToConfiguration() to the parameters type '{1}'. Add the partial modifier to '{0}' (it must be declared in this project).",
        ExperimentCategory);

    /// <summary>TUNE0103: the experiment does not have exactly one objective.</summary>
    public static readonly DiagnosticDescriptor ObjectiveCount = Error(
        "TUNE0103",
        "Experiment needs exactly one objective",
        "Experiment class '{0}' has {1} [Objective] attributes but needs exactly one. {2}",
        ExperimentCategory);

    /// <summary>TUNE0104: the experiment does not implement IExperiment&lt;TParameters&gt;.</summary>
    public static readonly DiagnosticDescriptor NotAnExperiment = Error(
        "TUNE0104",
        "Experiment must implement IExperiment<TParameters>",
        "Experiment class '{0}' does not implement IExperiment<TParameters>. Implement IExperiment<YourParameters> so the generator knows which type holds the parameters.",
        ExperimentCategory);

    /// <summary>TUNE0105: the experiment class or its parameters type is generic.</summary>
    public static readonly DiagnosticDescriptor GenericType = Error(
        "TUNE0105",
        "Experiment and parameters types must not be generic",
        "Type '{0}' is generic, but the generator needs a non-generic experiment class and parameters type. Remove the type parameters.",
        ExperimentCategory);

    /// <summary>TUNE0106: the parameters type declares no parameters.</summary>
    public static readonly DiagnosticDescriptor NoParameters = Error(
        "TUNE0106",
        "Parameters type declares no parameters",
        "Parameters type '{0}' has no property with a distribution attribute, so the search space would be empty. Add one, such as [Uniform(0, 1)] on a double property.",
        ExperimentCategory);

    /// <summary>TUNE0107: the parameters type cannot be used from the generated search space.</summary>
    public static readonly DiagnosticDescriptor ParametersTypeInaccessible = Error(
        "TUNE0107",
        "Parameters type must be public or internal",
        "Type '{0}' is {1}, so the generated search space cannot use the parameters type '{2}'. Make it public or internal.",
        ExperimentCategory);

    /// <summary>TUNE0108: the parameters type cannot be created with <c>new T()</c>.</summary>
    public static readonly DiagnosticDescriptor NoParameterlessConstructor = Error(
        "TUNE0108",
        "Parameters type needs a parameterless constructor",
        "Parameters type '{0}' has no accessible parameterless constructor, but the search space creates it with new {0}() and sets the properties. Add a public parameterless constructor, and declare the parameters as properties rather than constructor parameters.",
        ExperimentCategory);

    /// <summary>TUNE0109: the experiment implements IExperiment&lt;TParameters&gt; more than once.</summary>
    public static readonly DiagnosticDescriptor AmbiguousParametersType = Error(
        "TUNE0109",
        "Experiment implements IExperiment<TParameters> more than once",
        "Experiment class '{0}' implements IExperiment<TParameters> for both '{1}' and '{2}'. Implement it for one parameters type.",
        ExperimentCategory);

    /// <summary>TUNE0110: the parameters type has required members, so <c>new T()</c> does not compile.</summary>
    public static readonly DiagnosticDescriptor RequiredMember = Error(
        "TUNE0110",
        "Parameters type must not have required members",
        "Parameters type '{0}' has the required member '{1}', but the search space creates its defaults with new {0}(). Remove required and give '{1}' an initializer.",
        ExperimentCategory);

    /// <summary>TUNE0201: a bounded parameter's Min is not below its Max.</summary>
    public static readonly DiagnosticDescriptor MinNotBelowMax = Error(
        "TUNE0201",
        "Min must be below Max",
        "Parameter '{0}' has Min {1} and Max {2}; Min must be below Max. Swap the bounds.",
        ParameterCategory);

    /// <summary>TUNE0202: a log-scaled parameter has a non-positive lower bound.</summary>
    public static readonly DiagnosticDescriptor LogScaleNonPositive = Error(
        "TUNE0202",
        "A log-scaled parameter needs a positive Min",
        "Parameter '{0}' is log-scaled but Min is {1}. Use a positive Min such as 1e-6, or {2}.",
        ParameterCategory);

    /// <summary>TUNE0203: the quantum is not positive.</summary>
    public static readonly DiagnosticDescriptor QuantumNotPositive = Error(
        "TUNE0203",
        "The quantum must be positive",
        "Parameter '{0}' has quantum {1}; it must be positive. Use a positive step such as 1.",
        ParameterCategory);

    /// <summary>TUNE0204: the quantum does not divide the range.</summary>
    public static readonly DiagnosticDescriptor QuantumDoesNotDivideRange = Error(
        "TUNE0204",
        "The quantum must divide the range",
        "Parameter '{0}' has quantum {1}, which does not divide the range {2}..{3}. Use a quantum that divides {4}, or move a bound.",
        ParameterCategory);

    /// <summary>TUNE0205: a choice parameter has no choices.</summary>
    public static readonly DiagnosticDescriptor NoChoices = Error(
        "TUNE0205",
        "A choice needs at least one value",
        "Parameter '{0}' has no choices. Give [Choice] at least one value.",
        ParameterCategory);

    /// <summary>TUNE0206: a choice is listed twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateChoice = Error(
        "TUNE0206",
        "Choices must be unique",
        "Parameter '{0}' lists the choice {1} more than once. Remove the duplicate.",
        ParameterCategory);

    /// <summary>TUNE0207: choices of different types.</summary>
    public static readonly DiagnosticDescriptor MixedChoiceTypes = Error(
        "TUNE0207",
        "Choices must share one type",
        "Parameter '{0}' mixes choices of types {1}. Use values of one type, the property's.",
        ParameterCategory);

    /// <summary>TUNE0208: a choice is not of the property's type.</summary>
    public static readonly DiagnosticDescriptor ChoiceTypeMismatch = Error(
        "TUNE0208",
        "Choices must be of the property's type",
        "Parameter '{0}' is {1} but has the choice {2} of type {3}. Use values of type {1}, or change the property's type.",
        ParameterCategory);

    /// <summary>TUNE0209: two distribution attributes on one property.</summary>
    public static readonly DiagnosticDescriptor MultipleDistributions = Error(
        "TUNE0209",
        "One distribution attribute per parameter",
        "Parameter '{0}' has both [{1}] and [{2}]. Keep one distribution attribute.",
        ParameterCategory);

    /// <summary>TUNE0210: the distribution does not apply to the property's type.</summary>
    public static readonly DiagnosticDescriptor WrongPropertyType = Error(
        "TUNE0210",
        "The distribution does not apply to the property's type",
        "Parameter '{0}' is {1}, but [{2}] applies to {3}. Change the property's type, or use {4}.",
        ParameterCategory);

    /// <summary>TUNE0211: the default lies outside the range.</summary>
    public static readonly DiagnosticDescriptor DefaultOutOfRange = Warning(
        "TUNE0211",
        "The default must lie in the range",
        "Parameter '{0}' defaults to {1}, outside {2}. Initialize it with a value in range, or widen the range.",
        ParameterCategory);

    /// <summary>TUNE0212: the default is not one of the choices.</summary>
    public static readonly DiagnosticDescriptor DefaultNotAChoice = Warning(
        "TUNE0212",
        "The default must be one of the choices",
        "Parameter '{0}' defaults to {1}, which is not one of its choices {2}. Initialize it with one of the choices, or add it to [Choice].",
        ParameterCategory);

    /// <summary>TUNE0213: the default is not on the quantum's grid.</summary>
    public static readonly DiagnosticDescriptor DefaultOffGrid = Warning(
        "TUNE0213",
        "The default must lie on the grid",
        "Parameter '{0}' defaults to {1}, which is not on its grid of step {2} from {3}. Initialize it with a value on the grid, such as {4}.",
        ParameterCategory);

    /// <summary>TUNE0214: the property cannot be set or read by the generated search space.</summary>
    public static readonly DiagnosticDescriptor PropertyNotSettable = Error(
        "TUNE0214",
        "A parameter must be an instance property with get and set or init",
        "Parameter '{0}' is not an instance property with an accessible get and set or init accessor, so the search space cannot fill it. Declare it as public {1} {0} {{ get; init; }}.",
        ParameterCategory);

    /// <summary>TUNE0215: a normal distribution's sigma is not positive.</summary>
    public static readonly DiagnosticDescriptor SigmaNotPositive = Error(
        "TUNE0215",
        "Sigma must be positive",
        "Parameter '{0}' has sigma {1}; it must be positive. Use a positive sigma such as 1.",
        ParameterCategory);

    /// <summary>TUNE0216: a log-normal distribution's median is not positive.</summary>
    public static readonly DiagnosticDescriptor LogNormalMedianNotPositive = Error(
        "TUNE0216",
        "A log-normal median must be positive",
        "Parameter '{0}' is log-normal with median {1}; the median is in the parameter's own units and must be positive. Use a positive mu such as 1, or use [{2}].",
        ParameterCategory);

    /// <summary>TUNE0217: a bound, mean, sigma or quantum is not a finite number.</summary>
    public static readonly DiagnosticDescriptor NonFiniteNumber = Error(
        "TUNE0217",
        "Distribution arguments must be finite",
        "Parameter '{0}' has {1} {2}; it must be a finite number. Use a finite value.",
        ParameterCategory);

    /// <summary>TUNE0218: an integer parameter's bound or quantum is not a whole number.</summary>
    public static readonly DiagnosticDescriptor IntegerArgumentNotWhole = Error(
        "TUNE0218",
        "An integer parameter needs whole bounds and quantum",
        "Parameter '{0}' is an integer but its {1} is {2}. Use a whole number, or make the property a double.",
        ParameterCategory);

    /// <summary>TUNE0219: an int parameter's bound does not fit in an int.</summary>
    public static readonly DiagnosticDescriptor BoundOutsideInt32 = Error(
        "TUNE0219",
        "An int parameter's bounds must fit in an int",
        "Parameter '{0}' is an int but its {1} is {2}, which does not fit in an int. Use a bound between -2147483648 and 2147483647, or make the property a long.",
        ParameterCategory);

    private static DiagnosticDescriptor Error(string id, string title, string message, string category) =>
        Create(id, title, message, category, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message, string category) =>
        Create(id, title, message, category, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    // The one place that knows where the diagnostics are documented; each page is named after its ID.
    private static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
