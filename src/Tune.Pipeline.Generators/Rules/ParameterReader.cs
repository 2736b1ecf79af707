using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Tune.Pipeline.Generators.Helpers;
using Tune.Pipeline.Generators.Model;

namespace Tune.Pipeline.Generators.Rules;

/// <summary>
/// Reads one parameter property: its distribution attribute, checked against the rules the runtime applies
/// (<c>Parameter.Validate</c> in Core), so that every mistake is a compile-time diagnostic at the attribute.
/// </summary>
/// <remarks>
/// Shared by the generator (which only uses the model) and the analyzer (which reports the problems), so that both
/// agree on what is valid. Never throws on incomplete code: anything it cannot read is left to the compiler.
/// </remarks>
internal static class ParameterReader
{
    /// <summary>Reads a property that may carry a distribution attribute.</summary>
    /// <param name="property">The property.</param>
    /// <param name="known">Core's types.</param>
    /// <param name="problems">Receives every mistake found.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The parameter, or <see langword="null"/> when the property has no usable distribution attribute.</returns>
    public static ParameterRead? Read(IPropertySymbol property, KnownSymbols known, List<Problem> problems, CancellationToken cancellationToken)
    {
        var attributes = property.GetAttributes().Where(a => known.IsParameterAttribute(a.AttributeClass)).ToList();
        if (attributes.Count == 0)
        {
            return null;
        }

        var start = problems.Count;
        var name = property.Name;
        var attribute = attributes[0];
        for (var i = 1; i < attributes.Count; i++)
        {
            problems.Add(new Problem(
                DiagnosticDescriptors.MultipleDistributions,
                LocationOf(attributes[i], property, cancellationToken),
                name,
                ShortName(attribute.AttributeClass),
                ShortName(attributes[i].AttributeClass)));
        }

        if (KindOf(attribute.AttributeClass) is not { } kind
            || attribute.AttributeConstructor is null
            || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
        {
            // A custom ParameterAttribute or an attribute the compiler already rejects: nothing to check or generate.
            return null;
        }

        var location = LocationOf(attribute, property, cancellationToken);
        var valueType = Classify(property.Type);
        var typeDisplay = property.Type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        if (!IsUsable(property))
        {
            problems.Add(new Problem(DiagnosticDescriptors.PropertyNotSettable, location, name, typeDisplay));
        }

        if (!Applies(kind, valueType))
        {
            problems.Add(new Problem(
                DiagnosticDescriptors.WrongPropertyType, location, name, typeDisplay, ShortName(attribute.AttributeClass), AllowedTypes(kind), Suggestion(valueType)));
            return null;
        }

        var arguments = attribute.ConstructorArguments;
        double min = double.NaN, max = double.NaN, mu = double.NaN, sigma = double.NaN, q = double.NaN;
        long intMin = 0, intMax = 0;
        var log = false;
        var choices = ImmutableArray<string>.Empty;
        var choiceValues = ImmutableArray<object>.Empty;
        var choiceDisplays = ImmutableArray<string>.Empty;
        switch (kind)
        {
            case DistributionKind.Uniform or DistributionKind.LogUniform or DistributionKind.QUniform or DistributionKind.QLogUniform:
                min = AsDouble(arguments, 0);
                max = AsDouble(arguments, 1);
                q = kind is DistributionKind.QUniform or DistributionKind.QLogUniform ? AsDouble(arguments, 2) : double.NaN;
                CheckBounded(name, kind, valueType, min, max, q, location, problems);
                break;
            case DistributionKind.Normal or DistributionKind.LogNormal or DistributionKind.QNormal or DistributionKind.QLogNormal:
                mu = AsDouble(arguments, 0);
                sigma = AsDouble(arguments, 1);
                q = kind is DistributionKind.QNormal or DistributionKind.QLogNormal ? AsDouble(arguments, 2) : double.NaN;
                CheckNormal(name, kind, valueType, mu, sigma, q, location, problems);
                break;
            case DistributionKind.IntRange:
                intMin = AsInt64(arguments, 0);
                intMax = AsInt64(arguments, 1);
                min = intMin;
                max = intMax;
                log = attribute.NamedArguments.Any(a => a.Key == "Log" && a.Value.Value is true);
                CheckIntRange(name, valueType, intMin, intMax, log, location, problems);
                break;
            default:
                (choices, choiceValues, choiceDisplays) = ReadChoices(name, property.Type, valueType, typeDisplay, arguments, location, problems);
                break;
        }

        if (problems.Skip(start).Any(p => p.IsError))
        {
            return new ParameterRead(null, location);
        }

        var model = new ParameterModel(
            name,
            kind,
            valueType,
            property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            min,
            max,
            mu,
            sigma,
            q,
            intMin,
            intMax,
            log,
            new EquatableArray<string>(choices));
        return new ParameterRead(model, location) { ChoiceValues = choiceValues, ChoiceDisplays = choiceDisplays };
    }

    /// <summary>Converts a value of a float property to the double it reads as (0.1f is 0.1, not 0.100000001490116).</summary>
    /// <param name="value">The float.</param>
    /// <returns>The double with the float's shortest round-trip digits.</returns>
    public static double Widen(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Tells whether q divides max - min, computed in decimal as the runtime does, so that 0.1 divides 0.3.</summary>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <param name="q">The quantum.</param>
    /// <returns><see langword="true"/> when (max - min) / q is a whole number.</returns>
    public static bool QuantumDividesRange(double min, double max, double q)
    {
        if (TryDecimal(min, out var dmin) && TryDecimal(max, out var dmax) && TryDecimal(q, out var dq) && dq != 0m)
        {
            return (dmax - dmin) % dq == 0m;
        }

        var steps = (max - min) / q;
        return Math.Abs(steps - Math.Round(steps)) <= 1e-9 * Math.Max(1.0, steps);
    }

    /// <summary>Computes a difference in decimal where possible, for messages (0.3 - 0.1 is 0.2, not 0.19999999999999998).</summary>
    /// <param name="a">The minuend.</param>
    /// <param name="b">The subtrahend.</param>
    /// <returns>The difference.</returns>
    public static double Subtract(double a, double b) =>
        TryDecimal(a, out var da) && TryDecimal(b, out var db) ? (double)(da - db) : a - b;

    /// <summary>Converts a double to decimal with the 15 significant digits that turn the binary 0.1 back into 0.1.</summary>
    /// <param name="value">The value.</param>
    /// <param name="result">The decimal.</param>
    /// <returns><see langword="true"/> when the value fits.</returns>
    public static bool TryDecimal(double value, out decimal result)
    {
        if (!double.IsNaN(value) && !double.IsInfinity(value) && Math.Abs(value) < 7.9e27)
        {
            result = (decimal)value;
            return true;
        }

        result = 0m;
        return false;
    }

    private static void CheckBounded(string name, DistributionKind kind, PropertyValueType valueType, double min, double max, double q, Location? location, List<Problem> problems)
    {
        var quantised = kind is DistributionKind.QUniform or DistributionKind.QLogUniform;
        if (!AllFinite(name, location, problems, ("Min", min), ("Max", max), ("quantum", quantised ? q : 0)))
        {
            return;
        }

        if (min >= max)
        {
            problems.Add(new Problem(DiagnosticDescriptors.MinNotBelowMax, location, name, Literals.Display(min), Literals.Display(max)));
        }

        if (kind is DistributionKind.LogUniform or DistributionKind.QLogUniform && min <= 0)
        {
            var alternative = kind == DistributionKind.LogUniform ? "use [Uniform]" : "use [QUniform]";
            problems.Add(new Problem(DiagnosticDescriptors.LogScaleNonPositive, location, name, Literals.Display(min), alternative));
        }

        if (quantised)
        {
            CheckQuantum(name, q, location, problems);
            if (q > 0 && min < max && !QuantumDividesRange(min, max, q))
            {
                problems.Add(new Problem(
                    DiagnosticDescriptors.QuantumDoesNotDivideRange,
                    location,
                    name,
                    Literals.Display(q),
                    Literals.Display(min),
                    Literals.Display(max),
                    Literals.Display(Subtract(max, min))));
            }

            if (valueType is PropertyValueType.Int32 or PropertyValueType.Int64)
            {
                CheckWhole(name, location, problems, ("Min", min), ("Max", max), ("quantum", q));
            }
        }

        if (valueType == PropertyValueType.Int32)
        {
            CheckInt32(name, location, problems, min, max);
        }
    }

    private static void CheckNormal(string name, DistributionKind kind, PropertyValueType valueType, double mu, double sigma, double q, Location? location, List<Problem> problems)
    {
        var quantised = kind is DistributionKind.QNormal or DistributionKind.QLogNormal;
        if (!AllFinite(name, location, problems, ("mu", mu), ("sigma", sigma), ("quantum", quantised ? q : 0)))
        {
            return;
        }

        if (sigma <= 0)
        {
            problems.Add(new Problem(DiagnosticDescriptors.SigmaNotPositive, location, name, Literals.Display(sigma)));
        }

        if (kind is DistributionKind.LogNormal or DistributionKind.QLogNormal && mu <= 0)
        {
            var alternative = kind == DistributionKind.LogNormal ? "Normal" : "QNormal";
            problems.Add(new Problem(DiagnosticDescriptors.LogNormalMedianNotPositive, location, name, Literals.Display(mu), alternative));
        }

        if (quantised)
        {
            CheckQuantum(name, q, location, problems);
            if (valueType is PropertyValueType.Int32 or PropertyValueType.Int64)
            {
                CheckWhole(name, location, problems, ("quantum", q));
            }
        }
    }

    private static void CheckIntRange(string name, PropertyValueType valueType, long min, long max, bool log, Location? location, List<Problem> problems)
    {
        if (min >= max)
        {
            problems.Add(new Problem(
                DiagnosticDescriptors.MinNotBelowMax, location, name, min.ToString(CultureInfo.InvariantCulture), max.ToString(CultureInfo.InvariantCulture)));
        }

        if (log && min <= 0)
        {
            problems.Add(new Problem(DiagnosticDescriptors.LogScaleNonPositive, location, name, min.ToString(CultureInfo.InvariantCulture), "drop Log"));
        }

        if (valueType == PropertyValueType.Int32)
        {
            CheckInt32(name, location, problems, min, max);
        }
    }

    private static void CheckQuantum(string name, double q, Location? location, List<Problem> problems)
    {
        if (q <= 0)
        {
            problems.Add(new Problem(DiagnosticDescriptors.QuantumNotPositive, location, name, Literals.Display(q)));
        }
    }

    private static bool AllFinite(string name, Location? location, List<Problem> problems, params (string Label, double Value)[] values)
    {
        var finite = true;
        foreach (var (label, value) in values)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                problems.Add(new Problem(DiagnosticDescriptors.NonFiniteNumber, location, name, label, Literals.Display(value)));
                finite = false;
            }
        }

        return finite;
    }

    private static void CheckWhole(string name, Location? location, List<Problem> problems, params (string Label, double Value)[] values)
    {
        foreach (var (label, value) in values)
        {
            if (value != Math.Floor(value))
            {
                problems.Add(new Problem(DiagnosticDescriptors.IntegerArgumentNotWhole, location, name, label, Literals.Display(value)));
            }
        }
    }

    private static void CheckInt32(string name, Location? location, List<Problem> problems, double min, double max)
    {
        if (min < int.MinValue)
        {
            problems.Add(new Problem(DiagnosticDescriptors.BoundOutsideInt32, location, name, "Min", Literals.Display((object)min)));
        }

        if (max > int.MaxValue)
        {
            problems.Add(new Problem(DiagnosticDescriptors.BoundOutsideInt32, location, name, "Max", Literals.Display((object)max)));
        }
    }

    private static (ImmutableArray<string> Literals, ImmutableArray<object> Values, ImmutableArray<string> Displays) ReadChoices(
        string name, ITypeSymbol propertyType, PropertyValueType valueType, string typeDisplay, ImmutableArray<TypedConstant> arguments, Location? location, List<Problem> problems)
    {
        var none = (ImmutableArray<string>.Empty, ImmutableArray<object>.Empty, ImmutableArray<string>.Empty);
        if (arguments.Length != 1 || arguments[0].Kind != TypedConstantKind.Array)
        {
            return none;
        }

        // [Choice(null)] passes a null array: one null choice, which the runtime rejects.
        var elements = arguments[0].IsNull ? [default] : arguments[0].Values;
        if (elements.IsEmpty)
        {
            problems.Add(new Problem(DiagnosticDescriptors.NoChoices, location, name));
            return none;
        }

        var categories = elements.Where(e => !IsNullConstant(e)).Select(Category).Distinct().ToList();
        if (categories.Count > 1)
        {
            problems.Add(new Problem(DiagnosticDescriptors.MixedChoiceTypes, location, name, string.Join(", ", categories)));
            return none;
        }

        var literals = ImmutableArray.CreateBuilder<string>(elements.Length);
        var values = ImmutableArray.CreateBuilder<object>(elements.Length);
        foreach (var element in elements)
        {
            if (!TryConvertChoice(element, propertyType, valueType, out var literal, out var value))
            {
                var elementType = IsNullConstant(element) ? "null" : element.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "object";
                problems.Add(new Problem(DiagnosticDescriptors.ChoiceTypeMismatch, location, name, typeDisplay, DisplayConstant(element), elementType));
                return none;
            }

            if (value is double d && (double.IsNaN(d) || double.IsInfinity(d)))
            {
                problems.Add(new Problem(DiagnosticDescriptors.NonFiniteNumber, location, name, "choice", Literals.Display(d)));
                return none;
            }

            literals.Add(literal);
            values.Add(value);
        }

        foreach (var duplicate in values.GroupBy(v => v).Where(g => g.Count() > 1))
        {
            var index = values.IndexOf(duplicate.Key);
            problems.Add(new Problem(DiagnosticDescriptors.DuplicateChoice, location, name, DisplayConstant(elements[index])));
        }

        return (literals.ToImmutable(), values.ToImmutable(), [.. elements.Select(DisplayConstant)]);
    }

    private static bool IsNullConstant(TypedConstant constant) =>
        constant.Kind == TypedConstantKind.Primitive ? constant.Value is null : constant.Kind != TypedConstantKind.Array && constant.IsNull;

    // Numbers of any C# type form one category, so [Choice(1, 2.5)] is fine on a double; the property's type decides.
    private static string Category(TypedConstant constant) => constant.Kind switch
    {
        TypedConstantKind.Enum => constant.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "enum",
        TypedConstantKind.Primitive => constant.Value switch
        {
            string => "string",
            bool => "bool",
            char => "char",
            sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal => "number",
            _ => "object",
        },
        _ => constant.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "object",
    };

    private static bool TryConvertChoice(TypedConstant element, ITypeSymbol propertyType, PropertyValueType valueType, out string literal, out object value)
    {
        literal = string.Empty;
        value = string.Empty;
        if (IsNullConstant(element))
        {
            return false;
        }

        if (valueType == PropertyValueType.Enum)
        {
            if (element.Kind != TypedConstantKind.Enum || !SymbolEqualityComparer.Default.Equals(element.Type, propertyType) || element.Value is null)
            {
                return false;
            }

            // An enum over ulong can hold values above long.MaxValue; they only need to compare, not to convert back.
            value = element.Value is ulong big ? unchecked((long)big) : Convert.ToInt64(element.Value, CultureInfo.InvariantCulture);
            literal = EnumLiteral(propertyType, element.Value);
            return true;
        }

        if (element.Kind != TypedConstantKind.Primitive)
        {
            return false;
        }

        var raw = element.Value;
        switch (valueType)
        {
            case PropertyValueType.String when raw is string s:
                value = s;
                literal = Literals.String(s);
                return true;
            case PropertyValueType.Boolean when raw is bool b:
                value = b;
                literal = b ? "true" : "false";
                return true;
            case PropertyValueType.Int32 or PropertyValueType.Int64 when IsInteger(raw):
                if (raw is ulong big && big > long.MaxValue)
                {
                    return false;
                }

                var integer = Convert.ToInt64(raw, CultureInfo.InvariantCulture);
                if (valueType == PropertyValueType.Int32 && (integer < int.MinValue || integer > int.MaxValue))
                {
                    return false;
                }

                value = integer;
                literal = valueType == PropertyValueType.Int32 ? Literals.Int32((int)integer) : Literals.Int64(integer);
                return true;
            case PropertyValueType.Double or PropertyValueType.Single when IsInteger(raw) || raw is float or double or decimal:
                // Real choices are held as double; a float property's choices take the float's shortest digits so
                // that the generated ToConfiguration, which widens the same way, finds them.
                var real = raw switch
                {
                    float f => Widen(f),
                    decimal m => (double)m,
                    _ => Convert.ToDouble(raw, CultureInfo.InvariantCulture),
                };
                if (valueType == PropertyValueType.Single)
                {
                    real = Widen((float)real);
                }

                value = real;
                literal = double.IsNaN(real) || double.IsInfinity(real) ? "0d" : Literals.Double(real);
                return true;
            default:
                return false;
        }
    }

    private static bool IsInteger(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;

    private static string EnumLiteral(ITypeSymbol enumType, object value)
    {
        var typeName = enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var member = EnumMember(enumType, value);
        return member is null
            ? "(" + typeName + ")(" + Convert.ToString(value, CultureInfo.InvariantCulture) + ")"
            : typeName + "." + Literals.Identifier(member.Name);
    }

    /// <summary>Finds the enum member with a value, for messages and generated code.</summary>
    /// <param name="enumType">The enum type.</param>
    /// <param name="value">The underlying value.</param>
    /// <returns>The first member with that value, or <see langword="null"/>.</returns>
    public static IFieldSymbol? EnumMember(ITypeSymbol enumType, object? value) =>
        enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));

    /// <summary>Formats an attribute argument for a message: strings quoted, enums as Type.Member.</summary>
    /// <param name="constant">The argument.</param>
    /// <returns>The text.</returns>
    public static string DisplayConstant(TypedConstant constant)
    {
        if (IsNullConstant(constant))
        {
            return "null";
        }

        if (constant.Kind == TypedConstantKind.Enum && constant.Type is { } type)
        {
            var member = EnumMember(type, constant.Value);
            return member is null ? Literals.Display(constant.Value) : type.Name + "." + member.Name;
        }

        return constant.Kind == TypedConstantKind.Primitive ? Literals.Display(constant.Value) : constant.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "?";
    }

    private static bool IsUsable(IPropertySymbol property) =>
        !property.IsStatic
        && !property.IsIndexer
        && IsAccessible(property.DeclaredAccessibility)
        && property.GetMethod is { } getter && IsAccessible(getter.DeclaredAccessibility)
        && property.SetMethod is { } setter && IsAccessible(setter.DeclaredAccessibility);

    private static bool IsAccessible(Accessibility accessibility) =>
        accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    private static double AsDouble(ImmutableArray<TypedConstant> arguments, int index) =>
        index < arguments.Length && arguments[index].Kind == TypedConstantKind.Primitive && arguments[index].Value is { } value && value is not string and not bool and not char
            ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
            : double.NaN;

    private static long AsInt64(ImmutableArray<TypedConstant> arguments, int index) =>
        index < arguments.Length && arguments[index].Kind == TypedConstantKind.Primitive && IsInteger(arguments[index].Value) && arguments[index].Value is not ulong
            ? Convert.ToInt64(arguments[index].Value, CultureInfo.InvariantCulture)
            : 0;

    private static Location? LocationOf(AttributeData attribute, IPropertySymbol property, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? property.Locations.FirstOrDefault();

    private static string ShortName(INamedTypeSymbol? attributeClass)
    {
        var name = attributeClass?.Name ?? "?";
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private static DistributionKind? KindOf(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass?.ContainingNamespace?.ToDisplayString() != KnownNames.Namespace)
        {
            return null;
        }

        return attributeClass.Name switch
        {
            "UniformAttribute" => DistributionKind.Uniform,
            "LogUniformAttribute" => DistributionKind.LogUniform,
            "NormalAttribute" => DistributionKind.Normal,
            "LogNormalAttribute" => DistributionKind.LogNormal,
            "QUniformAttribute" => DistributionKind.QUniform,
            "QLogUniformAttribute" => DistributionKind.QLogUniform,
            "QNormalAttribute" => DistributionKind.QNormal,
            "QLogNormalAttribute" => DistributionKind.QLogNormal,
            "IntRangeAttribute" => DistributionKind.IntRange,
            "ChoiceAttribute" => DistributionKind.Choice,
            _ => null,
        };
    }

    private static PropertyValueType Classify(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Double => PropertyValueType.Double,
        SpecialType.System_Single => PropertyValueType.Single,
        SpecialType.System_Int32 => PropertyValueType.Int32,
        SpecialType.System_Int64 => PropertyValueType.Int64,
        SpecialType.System_String => PropertyValueType.String,
        SpecialType.System_Boolean => PropertyValueType.Boolean,
        _ => type.TypeKind == TypeKind.Enum ? PropertyValueType.Enum : PropertyValueType.Other,
    };

    private static bool Applies(DistributionKind kind, PropertyValueType type) => kind switch
    {
        DistributionKind.Uniform or DistributionKind.LogUniform or DistributionKind.Normal or DistributionKind.LogNormal =>
            type is PropertyValueType.Double or PropertyValueType.Single,
        DistributionKind.QUniform or DistributionKind.QLogUniform or DistributionKind.QNormal or DistributionKind.QLogNormal =>
            type is PropertyValueType.Double or PropertyValueType.Single or PropertyValueType.Int32 or PropertyValueType.Int64,
        DistributionKind.IntRange => type is PropertyValueType.Int32 or PropertyValueType.Int64,
        _ => type != PropertyValueType.Other,
    };

    private static string AllowedTypes(DistributionKind kind) => kind switch
    {
        DistributionKind.Uniform or DistributionKind.LogUniform or DistributionKind.Normal or DistributionKind.LogNormal => "double or float properties",
        DistributionKind.QUniform or DistributionKind.QLogUniform or DistributionKind.QNormal or DistributionKind.QLogNormal => "double, float, int or long properties",
        DistributionKind.IntRange => "int or long properties",
        _ => "string, bool, int, long, double, float or enum properties",
    };

    private static string Suggestion(PropertyValueType type) => type switch
    {
        PropertyValueType.Double or PropertyValueType.Single => "[Uniform], [LogUniform] or [QUniform]",
        PropertyValueType.Int32 or PropertyValueType.Int64 => "[IntRange] or [QUniform]",
        PropertyValueType.String or PropertyValueType.Boolean or PropertyValueType.Enum => "[Choice]",
        _ => "a string, bool, number or enum property",
    };
}
