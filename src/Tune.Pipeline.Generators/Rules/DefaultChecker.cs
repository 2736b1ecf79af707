using System;
using System.Collections.Generic;
using System.Globalization;
using Tune.Pipeline.Generators.Helpers;
using Tune.Pipeline.Generators.Model;

namespace Tune.Pipeline.Generators.Rules;

/// <summary>
/// Checks a parameter's default (its property's constant initializer) against its distribution, as the runtime's
/// <c>DefaultConfiguration</c> would, so that a bad default is a warning at build time rather than an exception at
/// the first sweep.
/// </summary>
internal static class DefaultChecker
{
    /// <summary>Checks a default.</summary>
    /// <param name="read">The parameter, as read from its attribute.</param>
    /// <param name="constant">The initializer's constant value.</param>
    /// <param name="display">The initializer as the user wrote it, for the message.</param>
    /// <param name="problems">Receives the problem, if any.</param>
    public static void Check(ParameterRead read, object? constant, string display, List<Problem> problems)
    {
        if (read.Model is not { } model)
        {
            return;
        }

        if (model.Kind == DistributionKind.Choice)
        {
            CheckChoice(read, model, constant, display, problems);
            return;
        }

        if (!TryNumber(constant, model.ValueType, out var value))
        {
            return;
        }

        var shown = Literals.Display(value);
        switch (model.Kind)
        {
            case DistributionKind.Uniform or DistributionKind.LogUniform or DistributionKind.QUniform or DistributionKind.QLogUniform or DistributionKind.IntRange:
                // Written so that a NaN default counts as outside the range.
                if (!(value >= model.Min && value <= model.Max))
                {
                    var range = "[" + Literals.Display(model.Min) + ", " + Literals.Display(model.Max) + "]";
                    problems.Add(new Problem(DiagnosticDescriptors.DefaultOutOfRange, read.Location, model.Name, shown, range));
                }
                else if (model.Kind is DistributionKind.QUniform or DistributionKind.QLogUniform && !ParameterReader.QuantumDividesRange(model.Min, value, model.Q) && value != model.Min)
                {
                    var nearest = Nearest(model.Min, model.Q, value);
                    problems.Add(new Problem(
                        DiagnosticDescriptors.DefaultOffGrid, read.Location, model.Name, shown, Literals.Display(model.Q), Literals.Display(model.Min), Literals.Display(nearest)));
                }

                break;
            case DistributionKind.LogNormal or DistributionKind.QLogNormal when value <= 0:
                problems.Add(new Problem(DiagnosticDescriptors.DefaultOutOfRange, read.Location, model.Name, shown, "the positive numbers a log-normal parameter takes"));
                break;
            case DistributionKind.QNormal or DistributionKind.QLogNormal when value != 0 && !ParameterReader.QuantumDividesRange(0, value, model.Q):
                problems.Add(new Problem(
                    DiagnosticDescriptors.DefaultOffGrid, read.Location, model.Name, shown, Literals.Display(model.Q), "0", Literals.Display(Nearest(0, model.Q, value))));
                break;
        }
    }

    private static void CheckChoice(ParameterRead read, ParameterModel model, object? constant, string display, List<Problem> problems)
    {
        object? value = model.ValueType switch
        {
            PropertyValueType.String => constant as string,
            PropertyValueType.Boolean => constant as bool?,
            PropertyValueType.Enum or PropertyValueType.Int32 or PropertyValueType.Int64 when IsInteger(constant) => Convert.ToInt64(constant, CultureInfo.InvariantCulture),
            PropertyValueType.Double or PropertyValueType.Single when TryNumber(constant, model.ValueType, out var number) => number,
            _ => null,
        };

        // A null string default is not a choice either, but it is what a missing initializer gives too; only an
        // explicit constant is checked, and null is reported by the nullable analysis.
        if (value is null || read.ChoiceValues.Contains(value))
        {
            return;
        }

        problems.Add(new Problem(DiagnosticDescriptors.DefaultNotAChoice, read.Location, model.Name, display, string.Join(", ", read.ChoiceDisplays)));
    }

    private static double Nearest(double origin, double q, double value)
    {
        var steps = Math.Round((value - origin) / q);
        return ParameterReader.TryDecimal(origin, out var dmin) && ParameterReader.TryDecimal(q, out var dq) && Math.Abs(steps) < 1e15 && Math.Abs(steps * q) < 7.9e27
            ? (double)(dmin + ((decimal)steps * dq))
            : origin + (steps * q);
    }

    private static bool IsInteger(object? value) => value is sbyte or byte or short or ushort or int or uint or long;

    private static bool TryNumber(object? constant, PropertyValueType valueType, out double value)
    {
        switch (constant)
        {
            case float f:
                value = ParameterReader.Widen(f);
                return true;
            case double d:
                value = valueType == PropertyValueType.Single ? ParameterReader.Widen((float)d) : d;
                return true;
            case decimal m:
                value = (double)m;
                return true;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                value = Convert.ToDouble(constant, CultureInfo.InvariantCulture);
                return true;
            default:
                value = double.NaN;
                return false;
        }
    }
}
