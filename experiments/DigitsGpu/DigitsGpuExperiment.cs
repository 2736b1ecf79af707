using System.Collections.Immutable;
using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using Tune.Pipeline;
using Tune.Pipeline.Gpu;

namespace DigitsGpu;

/// <summary>
/// A small MLP on the handwritten digits, trained with ILGPU kernels (<see cref="MlpKernels"/>): find the width,
/// depth, batch size, learning rate, momentum, weight decay and dropout with the best validation accuracy, then
/// retrain on all rows. It runs on the CUDA device of a GPU agent, on ILGPU's CPU accelerator otherwise.
/// </summary>
[Experiment("digits-gpu")]
[Objective("accuracy", Goal.Maximize)]
public sealed partial class DigitsGpuExperiment : IExperiment<DigitsGpuExperiment.Parameters>, IDisposable
{
    private Prepared? _prepared;

    /// <summary>The hyperparameters; the initialisers are a reasonable small MLP.</summary>
    public sealed partial record Parameters
    {
        [LogUniform(1e-3, 0.5)]
        public double LearningRate { get; init; } = 0.05;

        [Uniform(0, 0.95)]
        public double Momentum { get; init; } = 0.9;

        [IntRange(16, 256, Log = true)]
        public int Width { get; init; } = 64;

        [IntRange(1, 3)]
        public int Depth { get; init; } = 1;

        [Choice(32, 64, 128, 256)]
        public int BatchSize { get; init; } = 64;

        [LogUniform(1e-6, 1e-2)]
        public double WeightDecay { get; init; } = 1e-4;

        [Uniform(0, 0.5)]
        public double Dropout { get; init; } = 0.1;

        [IntRange(1, 40)]
        public int Epochs { get; init; } = 10;
    }

    /// <summary>Gets the data file, copied beside the executable by the project.</summary>
    public static string DataPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>Gets how long <see cref="PrepareAsync"/> took: parsing, opening the accelerator, uploading the rows and compiling the kernels, which every trial of the agent then skips.</summary>
    public TimeSpan PrepareTime { get; private set; }

    public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Once per agent: the parsed rows, the accelerator of the agent's device with the rows uploaded to it, and the
        // compiled kernels; every trial of this agent reuses them.
        var started = Stopwatch.GetTimestamp();
        _prepared?.Dispose();
        _prepared = Prepared.Create(DigitsData.Load(DataPath), context.Device, context.Threads);
        PrepareTime = Stopwatch.GetElapsedTime(started);
        return ValueTask.CompletedTask;
    }

    public ValueTask<TrialResult> RunTrialAsync(Parameters parameters, TrialContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);
        var prepared = _prepared ?? throw new InvalidOperationException("The data was not prepared: the host calls PrepareAsync before the first trial.");
        if (context.Device != prepared.Device)
        {
            throw new InvalidOperationException($"Trial {context.TrialNumber} is for device '{context.Device ?? "cpu"}' but the agent prepared '{prepared.Device ?? "cpu"}'.");
        }

        var data = prepared.Data;
        using var trainer = new MlpTrainer(prepared.Kernels, DigitsData.Features, DigitsData.Classes, Settings(parameters), context.Seed);
        using var order = prepared.Accelerator.Accelerator.Allocate1D<int>(data.Train.Length);
        var shuffled = (int[])data.Train.Clone();
        var random = new SeededRandom(context.Seed);
        var (accuracy, loss) = (0.0, 0.0);
        for (var epoch = 1; epoch <= parameters.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.ThrowIfStopRequested();
            random.Shuffle(shuffled);
            order.CopyFromCPU(shuffled);
            trainer.TrainEpoch(prepared.Rows, order.View);
            (accuracy, loss) = trainer.Evaluate(prepared.Rows, prepared.ValidationRows.View, data.ValidationLabels);
            if (!double.IsFinite(loss))
            {
                // A learning rate too large diverges: a failed trial (its reason recorded), not a step of NaN.
                throw new InvalidOperationException($"Training diverged by epoch {epoch} (validation loss {loss}); the learning rate {parameters.LearningRate} is too large for these settings.");
            }

            // A step is an epoch; its value is the objective, the validation accuracy.
            context.Report(epoch, accuracy);
        }

        return ValueTask.FromResult(new TrialResult(accuracy)
        {
            Metrics = ImmutableDictionary<string, double>.Empty.Add("validation_loss", loss),
        });
    }

    public ValueTask RetrainAsync(Parameters parameters, ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(context);

        // Without PrepareAsync, retraining opens its own accelerator; declared first, it is disposed after the buffers on it.
        using var own = _prepared is null ? Prepared.Create(DigitsData.Load(DataPath), context.Device, context.Threads) : null;
        var prepared = _prepared ?? own!;
        var data = prepared.Data;
        using var trainer = new MlpTrainer(prepared.Kernels, DigitsData.Features, DigitsData.Classes, Settings(parameters), context.Seed);
        var all = Enumerable.Range(0, data.Rows).ToArray();
        using var order = prepared.Accelerator.Accelerator.Allocate1D<int>(all.Length);
        var random = new SeededRandom(context.Seed);
        for (var epoch = 1; epoch <= parameters.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            random.Shuffle(all);
            order.CopyFromCPU(all);
            trainer.TrainEpoch(prepared.Rows, order.View);
        }

        trainer.Download().Save(context.ArtifactsDirectory);
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _prepared?.Dispose();
        _prepared = null;
    }

    internal static MlpSettings Settings(Parameters parameters) => new(
        parameters.Width, parameters.Depth, parameters.BatchSize, (float)parameters.LearningRate, (float)parameters.Momentum, (float)parameters.WeightDecay, (float)parameters.Dropout);

    /// <summary>What an agent prepares once: the data, the accelerator with the rows on it, the compiled kernels.</summary>
    private sealed class Prepared : IDisposable
    {
        private Prepared(DigitsData data, string? device, GpuAccelerator accelerator)
        {
            Data = data;
            Device = device;
            Accelerator = accelerator;
            Kernels = new MlpKernelSet(accelerator.Accelerator);
            Rows = new DeviceRows(accelerator.Accelerator, data.AllFeatures, data.AllLabels, DigitsData.Features);
            ValidationRows = accelerator.Accelerator.Allocate1D(data.Validation);
        }

        public DigitsData Data { get; }

        public string? Device { get; }

        public GpuAccelerator Accelerator { get; }

        public MlpKernelSet Kernels { get; }

        public DeviceRows Rows { get; }

        public MemoryBuffer1D<int, Stride1D.Dense> ValidationRows { get; }

        public static Prepared Create(DigitsData data, string? device, int threads) => new(data, device, GpuAccelerators.Open(device, threads));

        public void Dispose()
        {
            ValidationRows.Dispose();
            Rows.Dispose();
            Accelerator.Dispose();
        }
    }
}
