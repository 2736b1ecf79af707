namespace Tune.Pipeline.Generators.Model;

/// <summary>
/// Represents one type declaration to reopen as <c>partial</c>: the parameters type or one of its containing types.
/// </summary>
/// <remarks>Must stay equatable: strings only.</remarks>
/// <param name="Keyword">The declaration keyword: <c>class</c>, <c>record</c>, <c>struct</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's name, escaped if it is a keyword.</param>
internal sealed record TypeDeclarationModel(string Keyword, string Name);
