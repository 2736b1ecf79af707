namespace Tune.Pipeline.Generators.Model;

/// <summary>Represents the C# type of a parameter property, as far as the distributions care.</summary>
internal enum PropertyValueType
{
    /// <summary>A type no distribution applies to.</summary>
    Other,

    /// <summary><see cref="double"/>.</summary>
    Double,

    /// <summary><see cref="float"/>.</summary>
    Single,

    /// <summary><see cref="int"/>.</summary>
    Int32,

    /// <summary><see cref="long"/>.</summary>
    Int64,

    /// <summary><see cref="string"/>.</summary>
    String,

    /// <summary><see cref="bool"/>.</summary>
    Boolean,

    /// <summary>An enum type.</summary>
    Enum,
}
