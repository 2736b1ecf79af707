namespace Tune.Pipeline.Generators.Tests.Experiments;

[Experiment("grid")]
[Objective("accuracy", Goal.Maximize)]
public sealed partial class GridSearch : FixtureExperiment<GridSearch.Parameters>
{
    public sealed partial record Parameters
    {
        [Choice("adam", "sgd")] public string Optimizer { get; init; } = "adam";

        [IntRange(1, 3)] public int Layers { get; init; } = 2;

        [QUniform(0.1, 0.3, 0.1)] public double Dropout { get; init; } = 0.2;

        [Choice(Booster.Gbdt, Booster.Goss)] public Booster Booster { get; init; } = Booster.Goss;
    }
}
