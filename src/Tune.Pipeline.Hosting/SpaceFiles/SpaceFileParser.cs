using System.Globalization;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Hosting.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tune.Pipeline.Hosting.SpaceFiles;

/// <summary>
/// Reads a search-space file (YAML, or JSON, which is YAML): <c>goal: minimize|maximize</c> and <c>parameters:</c>
/// mapping each name to <c>{type, min, max, q, mu, sigma, log, values}</c>, bounds in the parameter's own units.
/// </summary>
/// <remarks>
/// Every mistake is reported, not only the first, as <c>file:line:column: message</c> naming the key and what is
/// allowed; a user's value is shown shortened, and never when it may hold a secret. <see cref="ParseParameters"/>
/// reads a <c>parameters:</c> mapping alone, for sweep files that embed one. The file is read within
/// <see cref="BoundedYaml"/>'s limits (size, encoding, one document, depth, alias expansion).
/// </remarks>
internal static class SpaceFileParser
{
    private const string Kind = "space file";
    private const int MaxNameLength = 100;

    private static readonly Dictionary<string, string[]> KeysByType = new(StringComparer.Ordinal)
    {
        ["uniform"] = ["min", "max", "log"],
        ["loguniform"] = ["min", "max"],
        ["normal"] = ["mu", "sigma", "log"],
        ["lognormal"] = ["mu", "sigma"],
        ["quniform"] = ["min", "max", "q", "log"],
        ["qloguniform"] = ["min", "max", "q"],
        ["qnormal"] = ["mu", "sigma", "q", "log"],
        ["qlognormal"] = ["mu", "sigma", "q"],
        ["int"] = ["min", "max", "log"],
        ["choice"] = ["values"],
    };

    /// <summary>Reads and parses a space file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The goal and search space.</returns>
    /// <exception cref="SpaceFileException">The file is missing or has mistakes.</exception>
    public static SpaceFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new SpaceFileException($"{path}: the space file does not exist. Check the path given to --space.");
        }

        try
        {
            return Parse(BoundedYaml.ReadText(path, Kind), path);
        }
        catch (YamlInputException exception)
        {
            throw new SpaceFileException(exception.Message, exception);
        }
    }

    /// <summary>Parses the text of a space file.</summary>
    /// <param name="text">The YAML or JSON text.</param>
    /// <param name="fileName">The name used in messages.</param>
    /// <returns>The goal and search space.</returns>
    /// <exception cref="SpaceFileException">The text has mistakes; every one is listed.</exception>
    public static SpaceFile Parse(string text, string fileName)
    {
        var problems = new List<string>();
        YamlNode? document;
        try
        {
            document = BoundedYaml.Parse(text, fileName, Kind);
        }
        catch (YamlInputException exception)
        {
            throw new SpaceFileException(exception.Message, exception);
        }

        if (document is not YamlMappingNode root)
        {
            throw new SpaceFileException($"{fileName}:1:1: the file must be a mapping with 'goal' and 'parameters'.");
        }

        var goal = Goal.Minimize;
        SearchSpace? space = null;
        var sawParameters = false;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            switch (key)
            {
                case "goal":
                    var text2 = (valueNode as YamlScalarNode)?.Value;
                    if (string.Equals(text2, "minimize", StringComparison.Ordinal))
                    {
                        goal = Goal.Minimize;
                    }
                    else if (string.Equals(text2, "maximize", StringComparison.Ordinal))
                    {
                        goal = Goal.Maximize;
                    }
                    else
                    {
                        problems.Add(At(fileName, valueNode, $"'goal' is {Shown.Value(text2)}; use 'minimize' or 'maximize'."));
                    }

                    break;
                case "parameters":
                    sawParameters = true;
                    space = ParseParameters(valueNode, fileName, problems);
                    break;
                default:
                    var suggestion = NameSuggester.Suggest(key, ["goal", "parameters"]);
                    problems.Add(At(fileName, keyNode, $"unknown key {Shown.Value(key)}{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}; the allowed keys are 'goal' and 'parameters'."));
                    break;
            }
        }

        if (!sawParameters)
        {
            problems.Add(At(fileName, root, "the file has no 'parameters' mapping; add one mapping each parameter name to {type, ...}."));
        }

        if (problems.Count > 0 || space is null)
        {
            throw new SpaceFileException(problems);
        }

        return new SpaceFile(goal, space);
    }

    /// <summary>Parses a <c>parameters:</c> mapping, adding located problems to <paramref name="problems"/>.</summary>
    /// <param name="node">The mapping node.</param>
    /// <param name="fileName">The name used in messages.</param>
    /// <param name="problems">Receives every mistake found.</param>
    /// <returns>The search space, or <see langword="null"/> when a problem was found.</returns>
    public static SearchSpace? ParseParameters(YamlNode node, string fileName, List<string> problems)
    {
        if (node is not YamlMappingNode mapping || mapping.Children.Count == 0)
        {
            problems.Add(At(fileName, node, "'parameters' must be a non-empty mapping of parameter names to {type, ...}."));
            return null;
        }

        var before = problems.Count;
        var parameters = new List<Parameter>();
        foreach (var (nameNode, definition) in mapping.Children)
        {
            var name = (nameNode as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(At(fileName, nameNode, "a parameter name must be a non-empty string."));
                continue;
            }

            // Names appear in every message about their parameter: one longer than a line would flood them.
            if (name.Length > MaxNameLength)
            {
                problems.Add(At(fileName, nameNode, $"parameter name {Shown.Value(name)} is longer than {MaxNameLength} characters; use a short name, as in the code."));
                continue;
            }

            var parameter = ParseParameter(name, definition, fileName, problems);
            if (parameter is null)
            {
                continue;
            }

            try
            {
                _ = new SearchSpace([parameter]);
                parameters.Add(parameter);
            }
            catch (InvalidSearchSpaceException exception)
            {
                problems.AddRange(exception.Problems.Select(p => At(fileName, definition, p)));
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        try
        {
            return new SearchSpace(parameters);
        }
        catch (InvalidSearchSpaceException exception)
        {
            problems.AddRange(exception.Problems.Select(p => At(fileName, node, p)));
            return null;
        }
    }

    private static Parameter? ParseParameter(string name, YamlNode definition, string fileName, List<string> problems)
    {
        if (definition is not YamlMappingNode fields)
        {
            problems.Add(At(fileName, definition, $"parameter '{name}' must be a mapping such as {{type: uniform, min: 0, max: 1}}."));
            return null;
        }

        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in fields.Children)
        {
            values[(keyNode as YamlScalarNode)?.Value ?? string.Empty] = valueNode;
        }

        if (!values.TryGetValue("type", out var typeNode))
        {
            problems.Add(At(fileName, definition, $"parameter '{name}' has no 'type'; use one of {string.Join(", ", KeysByType.Keys)}."));
            return null;
        }

        var type = (typeNode as YamlScalarNode)?.Value ?? string.Empty;
        if (!KeysByType.TryGetValue(type, out var allowed))
        {
            var suggestion = NameSuggester.Suggest(type, KeysByType.Keys);
            problems.Add(At(fileName, typeNode, $"parameter '{name}' has type {Shown.Value(type)}{(suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)")}; use one of {string.Join(", ", KeysByType.Keys)}."));
            return null;
        }

        var ok = true;
        foreach (var (keyNode, _) in fields.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (key != "type" && !allowed.Contains(key))
            {
                problems.Add(At(fileName, keyNode, $"parameter '{name}' of type {type} has unknown key {Shown.Value(key)}; the allowed keys are type, {string.Join(", ", allowed)}."));
                ok = false;
            }
        }

        foreach (var required in allowed.Where(k => k != "log"))
        {
            if (!values.ContainsKey(required))
            {
                problems.Add(At(fileName, definition, $"parameter '{name}' of type {type} has no '{required}'; it needs {string.Join(", ", allowed.Where(k => k != "log"))}."));
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        double Number(string key)
        {
            var node = values[key];
            if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            problems.Add(At(fileName, node, $"parameter '{name}' has '{key}' = {Shown.Value((node as YamlScalarNode)?.Value)}; it must be a number."));
            ok = false;
            return double.NaN;
        }

        bool IsInteger(string key) =>
            values[key] is YamlScalarNode { Value: { } text } && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

        var log = false;
        if (values.TryGetValue("log", out var logNode))
        {
            var text = (logNode as YamlScalarNode)?.Value;
            if (text is not ("true" or "false"))
            {
                problems.Add(At(fileName, logNode, $"parameter '{name}' has 'log' = {Shown.Value(text)}; use true or false."));
                return null;
            }

            log = text == "true";
        }

        Parameter? parameter;
        switch (type)
        {
            case "uniform":
                var (min, max) = (Number("min"), Number("max"));
                parameter = log ? Parameter.LogUniform(name, min, max) : Parameter.Uniform(name, min, max);
                break;
            case "loguniform":
                parameter = Parameter.LogUniform(name, Number("min"), Number("max"));
                break;
            case "normal":
                var (mu, sigma) = (Number("mu"), Number("sigma"));
                parameter = log ? Parameter.LogNormal(name, mu, sigma) : Parameter.Normal(name, mu, sigma);
                break;
            case "lognormal":
                parameter = Parameter.LogNormal(name, Number("mu"), Number("sigma"));
                break;
            case "quniform" or "qloguniform":
                var integralBounds = IsInteger("min") && IsInteger("max") && IsInteger("q");
                var (qMin, qMax, q) = (Number("min"), Number("max"), Number("q"));
                parameter = log || type == "qloguniform"
                    ? Parameter.QLogUniform(name, qMin, qMax, q, integralBounds)
                    : Parameter.QUniform(name, qMin, qMax, q, integralBounds);
                break;
            case "qnormal" or "qlognormal":
                var integralQ = IsInteger("q");
                var (qMu, qSigma, quantum) = (Number("mu"), Number("sigma"), Number("q"));
                parameter = log || type == "qlognormal"
                    ? Parameter.QLogNormal(name, qMu, qSigma, quantum, integralQ)
                    : Parameter.QNormal(name, qMu, qSigma, quantum, integralQ);
                break;
            case "int":
                if (!IsInteger("min") || !IsInteger("max"))
                {
                    problems.Add(At(fileName, definition, $"parameter '{name}' of type int needs whole-number 'min' and 'max'."));
                    return null;
                }

                parameter = Parameter.IntRange(name, (long)Number("min"), (long)Number("max"), log);
                break;
            default:
                parameter = ParseChoice(name, values["values"], fileName, problems);
                break;
        }

        return ok ? parameter : null;
    }

    private static Parameter? ParseChoice(string name, YamlNode node, string fileName, List<string> problems)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            problems.Add(At(fileName, node, $"parameter '{name}' of type choice needs 'values' as a non-empty list, such as [a, b, c]."));
            return null;
        }

        var choices = new List<object>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { } text } scalar)
            {
                problems.Add(At(fileName, item, $"parameter '{name}' has a choice that is not a single value; use strings, numbers or booleans."));
                return null;
            }

            choices.Add(ScalarValue(scalar, text));
        }

        return Parameter.Choice(name, choices);
    }

    // Plain (unquoted) scalars are typed as YAML 1.2's core schema types them; quoted ones are always strings.
    private static object ScalarValue(YamlScalarNode scalar, string text)
    {
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            return text;
        }

        if (text is "true" or "false")
        {
            return text == "true";
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && text.Any(char.IsDigit))
        {
            return real;
        }

        return text;
    }

    private static string At(string fileName, YamlNode node, string message) =>
        $"{fileName}:{node.Start.Line}:{node.Start.Column}: {message}";
}
