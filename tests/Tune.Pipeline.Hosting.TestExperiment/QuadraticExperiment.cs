using System.Diagnostics;
using System.Globalization;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Hosting.TestExperiment;

/// <summary>
/// A test experiment: (x - 0.3)², computed after a CPU-bound busy loop of TUNE_TEST_TRIAL_MS milliseconds, reporting
/// TUNE_TEST_STEPS intermediate values on the way; TUNE_TEST_PREPARED names a file that gets one line per preparation;
/// TUNE_TEST_NOISE adds uniform noise of that half-width drawn from the trial's seed, as a real trainer's seed would.
/// </summary>
public sealed class QuadraticExperiment : IExperiment<QuadraticExperiment.Parameters>
{
    private static readonly int TrialMilliseconds = Setting("TUNE_TEST_TRIAL_MS", 0);
    private static readonly int Steps = Setting("TUNE_TEST_STEPS", 0);
    private static readonly double Noise = double.TryParse(Environment.GetEnvironmentVariable("TUNE_TEST_NOISE"), NumberStyles.Float, CultureInfo.InvariantCulture, out var noise) ? noise : 0;

    public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("TUNE_TEST_PREPARED") is { Length: > 0 } path)
        {
            File.AppendAllText(path, $"{Environment.ProcessId}{Environment.NewLine}");
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
    {
        var objective = (parameters.X - 0.3) * (parameters.X - 0.3);
        if (Noise > 0)
        {
            objective += Noise * ((2 * new SeededRandom(context.Seed).NextDouble()) - 1);
        }

        var slices = Math.Max(1, Steps);
        for (var step = 1; step <= slices; step++)
        {
            Spin(TrialMilliseconds / slices, cancellationToken);
            if (Steps > 0)
            {
                context.Report(step, objective + (slices - step));
                context.ThrowIfStopRequested();
            }
        }

        return ValueTask.FromResult<TrialResult>(objective);
    }

    // The "model" of a quadratic is its minimiser: written so that publishing has a real file to carry.
    public async ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(Path.Combine(context.ArtifactsDirectory, "model.txt"), parameters.X.ToString("R", CultureInfo.InvariantCulture), cancellationToken);

    // Busy, not asleep: the benchmark's objective must use a core as a real trial would.
    private static void Spin(int milliseconds, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var x = 0.0;
        while (watch.ElapsedMilliseconds < milliseconds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < 1000; i++)
            {
                x += Math.Sqrt(i + x);
            }
        }

        GC.KeepAlive(x);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public sealed class Parameters
    {
        public double X { get; init; } = 0.5;
    }
}

/// <summary>A hand-written typed space, as the source generator would emit it.</summary>
public sealed class QuadraticSearchSpace() : SearchSpace<QuadraticExperiment.Parameters>([Parameter.Uniform("X", 0, 1)])
{
    public static QuadraticSearchSpace Instance { get; } = new();

    // What the generator emits from [Experiment] and [Objective].
    public override ExperimentIdentity Experiment { get; } = new("QuadraticExperiment", "objective", Goal.Minimize);

    public override QuadraticExperiment.Parameters ToParameters(Configuration configuration) => new() { X = configuration.GetDouble("X") };

    public override Configuration ToConfiguration(QuadraticExperiment.Parameters parameters) => CreateConfiguration([parameters.X]);

    protected override QuadraticExperiment.Parameters CreateDefault() => new();
}
